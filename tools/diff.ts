/**
 * `npm run diff -- [--base <git-ref>] [--stack <name>]`: what a pull request
 * changes in dist/, object by object, as Markdown for the PR comment.
 * Exit 0 (changes are not failures); 2 when the input is unusable.
 */
import { Command, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { INDEX_FILE } from '../config';
import { diffStacks, type DiffReport } from './diff/compare';
import { renderDiffMarkdown } from './diff/markdown';
import { DIAGRAM_FILE, diagramSection } from './diff/diagram-section';
import { ManifestReadError } from './diff/objects';
import { readFileAt, readGitTree, readWorkingTree, repoRoot, resolveBase, type StackSets } from './diff/source';
import { versionRisks, versionsOfIndex } from './diff/version-risks';

export interface DiffOptions {
  readonly base?: string;
  readonly stack?: string;
  readonly dist: string;
  readonly cwd: string;
}

function only(sets: StackSets, stack: string | undefined): StackSets {
  if (stack === undefined) return sets;
  return new Map([...sets].filter(([name]) => name === stack));
}

/** Builds the Markdown report (exported for tests). */
export function runDiff(options: DiffOptions): string {
  const root = repoRoot(options.cwd);
  const distDir = join(options.cwd, options.dist);
  const distInRepo = relative(root, distDir).split('\\').join('/');
  const base = resolveBase(root, options.base);
  const before = only(readGitTree(root, base.commit, distInRepo), options.stack);
  const after = only(readWorkingTree(distDir), options.stack);
  if (options.stack !== undefined && !before.has(options.stack) && !after.has(options.stack)) {
    const known = [...new Set([...readWorkingTree(distDir).keys()])].join(', ') || 'none';
    throw new ManifestReadError(
      `--stack ${JSON.stringify(options.stack)}: no ${distInRepo}/${options.stack}/ at the base or in the working tree (stacks: ${known})`,
    );
  }
  const report = withVersionRisks(
    diffStacks(before, after),
    (stack) => readFileAt(root, base.commit, `${distInRepo}/${stack}/${INDEX_FILE}`),
    (stack) => readIfExists(join(distDir, stack, INDEX_FILE)),
  );
  const pictures = report.stacks.flatMap((s) =>
    diagramSection(
      s.stack,
      readFileAt(root, base.commit, `${distInRepo}/${s.stack}/${DIAGRAM_FILE}`),
      readIfExists(join(distDir, s.stack, DIAGRAM_FILE)),
    ),
  );
  const markdown = renderDiffMarkdown(report, { base: base.label, head: 'working tree' });
  return pictures.length > 0 ? `${markdown}\n### Environment diagrams\n\n${pictures.join('\n')}` : markdown;
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/**
 * Adds the version changes recorded in each stack's index.json (Kubernetes minor,
 * k3s, gVisor): a k3s bump changes no manifest, only the index.
 */
export function withVersionRisks(
  report: DiffReport,
  baseIndex: (stack: string) => string | undefined,
  headIndex: (stack: string) => string | undefined,
): DiffReport {
  const stacks = report.stacks.map((s) => {
    const messages = versionRisks(versionsOfIndex(baseIndex(s.stack)), versionsOfIndex(headIndex(s.stack)));
    if (messages.length === 0) return s;
    const object = `index.json of dist/${s.stack}`;
    return {
      ...s,
      risks: [...messages.map((message) => ({ category: 'version-changed' as const, object, message })), ...s.risks],
    };
  });
  return { stacks, hasChanges: report.hasChanges || stacks.some((s) => s.risks.length > 0) };
}

export function main(argv: string[], cwd = process.cwd()): number {
  const program = new Command()
    .name('diff')
    .description('Compare dist/ at a base git ref with the working tree, object by object, as Markdown.')
    .option('--base <git-ref>', 'base to compare against (default: merge-base with origin/main or main, else HEAD)')
    .option('--stack <name>', 'only this stack')
    .addOption(new Option('--dist <dir>', 'manifest folder').default('dist'))
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    return (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const opts = program.opts<{ base?: string; stack?: string; dist: string }>();
  try {
    process.stdout.write(
      `${runDiff({ ...(opts.base ? { base: opts.base } : {}), ...(opts.stack ? { stack: opts.stack } : {}), dist: opts.dist, cwd })}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ManifestReadError) {
      process.stderr.write(`diff: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
