/**
 * `npm run check -- <files or directories> [--stack <name>] [--format json]`
 *
 * Judges any YAML manifests. Exit 0: no error-level finding; 1: error findings;
 * 2: unusable input (missing file, unparseable YAML, bad stack file, schemas not
 * available) with a message saying which and where.
 */
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { ConfigError, SUPPORTED_KUBERNETES_MINORS } from '../config';
import { groupByStack, type FileGroup } from './gate';
import { collectFiles, InputError } from './manifests';
import { environment, judgeGroups } from './parallel-gate';
import { formatText, toJson } from './report';
import { SchemaUnavailableError } from './schemas';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

interface CheckOptions {
  readonly stack?: string;
  readonly root: string;
  readonly kubernetesVersion?: string;
  readonly schemas: string[];
  readonly crds: string[];
  readonly cacheDir?: string;
  readonly format: 'text' | 'json';
  readonly threads: boolean;
}

function checkCommand(io: CliIo): Command {
  return new Command()
    .name('check')
    .description('Judge Kubernetes manifests: schema, Pod Security, hygiene, guardrails, references, cross-layer')
    .argument(
      '[paths...]',
      'manifest files or directories (default: every dist/<stack>/ with its Pulumi.<stack>.yaml, or dist/<stack> with --stack)',
    )
    .option('--stack <name>', 'also run the cross-layer rules against Pulumi.<name>.yaml')
    .option('--root <dir>', 'folder with the Pulumi.<stack>.yaml files', io.cwd)
    .addOption(
      new Option('--kubernetes-version <minor>', 'Kubernetes minor to judge against').choices([
        ...SUPPORTED_KUBERNETES_MINORS,
      ]),
    )
    .option('--schemas <location>', 'Kubernetes schema folder or URL template (repeatable)', collect, [] as string[])
    .option('--crds <location>', 'CRD file, folder or URL (repeatable)', collect, [] as string[])
    .option('--cache-dir <dir>', 'where downloaded schemas are kept')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json']).default('text'))
    .option(
      '--no-threads',
      'judge the stacks one after another on one thread (default: one worker thread per stack after the first)',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
}

/** Parses the arguments; returns the exit code when parsing ended the run (help, version, a bad option). */
function parseArguments(program: Command, argv: readonly string[]): number | undefined {
  try {
    program.parse([...argv], { from: 'user' });
    return undefined;
  } catch (error) {
    const code = (error as { exitCode?: number; code?: string }).exitCode ?? 2;
    const helpOrVersion = ['commander.helpDisplayed', 'commander.version'].includes(
      (error as { code?: string }).code ?? '',
    );
    return helpOrVersion ? 0 : code === 0 ? 0 : 2;
  }
}

/** The files to judge, grouped by stack output folder; without paths, this repository's dist/. */
function fileGroups(root: string, args: readonly string[], opts: CheckOptions, cwd: string): FileGroup[] {
  let paths = args.map((p) => resolve(cwd, p));
  if (paths.length === 0) {
    const dist = join(root, 'dist', ...(opts.stack ? [opts.stack] : []));
    if (!existsSync(dist)) throw new InputError(`no paths given and ${dist} does not exist`);
    paths = [dist];
  }
  const files = collectFiles(paths);
  if (files.length === 0) throw new InputError(`no YAML files under ${paths.join(', ')}`);
  let groups = groupByStack(files);
  if (opts.stack && groups.some((g) => g.index?.stack)) {
    groups = groups.filter((g) => !g.index?.stack || g.index.stack === opts.stack);
    if (groups.length === 0)
      throw new InputError(`--stack ${opts.stack}: none of the given folders holds that stack's output`);
  }
  return groups;
}

function judgeAndPrint(args: readonly string[], opts: CheckOptions, io: CliIo): number {
  const root = resolve(io.cwd, opts.root);
  // A bad --stack is reported before anything is read (the environment is kept for the groups).
  if (opts.stack) environment(root, opts.stack);
  // `npm run check` alone, or on this repository's dist/ (or folders in it), judges it the
  // way synth does: each dist/<stack>/ with its own Pulumi.<stack>.yaml.
  const distRoot = join(root, 'dist');
  const ownDist =
    !opts.stack &&
    args.map((p) => resolve(io.cwd, p)).every((p) => p === distRoot || p.startsWith(`${distRoot}${sep}`));
  const groups = fileGroups(root, args, opts, io.cwd);
  const schemas = {
    root,
    ...(opts.schemas.length > 0 ? { schemaLocations: opts.schemas } : {}),
    ...(opts.crds.length > 0 ? { crdLocations: opts.crds } : {}),
    ...(opts.cacheDir ? { cacheDir: resolve(io.cwd, opts.cacheDir) } : {}),
  };
  const stackOf = (group: FileGroup) =>
    opts.stack ??
    (ownDist && group.index?.stack && existsSync(join(root, `Pulumi.${group.index.stack}.yaml`))
      ? group.index.stack
      : undefined);
  const reports = judgeGroups(
    groups.map((group) => ({ group, ...(stackOf(group) ? { stack: stackOf(group)! } : {}) })),
    {
      root,
      cwd: io.cwd,
      schemas,
      ...(opts.kubernetesVersion ? { kubernetesVersion: opts.kubernetesVersion } : {}),
    },
    opts.threads,
  );
  if (opts.format === 'json') io.out(toJson(reports).trimEnd());
  else io.out(reports.map((r) => formatText(r)).join('\n\n'));
  return reports.every((r) => r.passed) ? 0 : 1;
}

export function runCli(argv: readonly string[], io: CliIo): number {
  const program = checkCommand(io);
  const ended = parseArguments(program, argv);
  if (ended !== undefined) return ended;
  try {
    return judgeAndPrint(program.args, program.opts<CheckOptions>(), io);
  } catch (error) {
    if (error instanceof InputError || error instanceof SchemaUnavailableError || error instanceof ConfigError) {
      io.err(`check: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module && isMainThread) {
  process.exitCode = runCli(process.argv.slice(2), {
    out: (t) => console.log(t),
    err: (t) => console.error(t),
    cwd: process.cwd(),
  });
}
