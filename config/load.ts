/**
 * The one loader both engines use. cdk8s reads `Pulumi.<stack>.yaml` from disk;
 * the Pulumi program passes `new pulumi.Config().requireObject('platform')`. Both
 * end in `parseEnvironment`, so a stack file means the same thing to both.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { readPlainYaml } from './manifest';
import { ConfigError, fromZodIssues, type ConfigIssue } from './errors';
import { resolveEnvironment, type EnvironmentSpec } from './environment';
import { environmentSchema } from './schema';
import { checkKubernetesSupport } from './kubernetes-support-check';

/** The Pulumi project name: config keys are `agent-platform:<key>`. */
export const PROJECT = 'agent-platform';
/** The structured config key holding the environment. */
export const PLATFORM_KEY = `${PROJECT}:platform`;
/** Other project keys a stack file may hold (set with `pulumi config set --secret`). */
export const SECRET_KEYS = ['hcloudToken'] as const;

export interface LoadedEnvironment {
  readonly spec: EnvironmentSpec;
  /** Worth a look, not fatal (deprecated instance types, wide admin CIDRs). */
  readonly warnings: readonly string[];
}

/**
 * Validates and resolves raw config. Throws one ConfigError listing every
 * problem; never returns a partial environment.
 */
export function parseEnvironment(raw: unknown, options: ParseOptions): LoadedEnvironment {
  const parsed = environmentSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ConfigError(options.source, fromZodIssues(parsed.error.issues));
  const resolved = resolveEnvironment(parsed.data, options.stack);
  if (!resolved.spec) throw new ConfigError(options.source, resolved.issues);
  // The supported-versions table (config/kubernetes-support.ts): minor, chart versions, end of life.
  const support = checkKubernetesSupport(resolved.spec, options.today ? { today: options.today } : {});
  if (support.issues.length > 0) throw new ConfigError(options.source, support.issues);
  return { spec: resolved.spec, warnings: [...resolved.warnings, ...support.warnings] };
}

export interface ParseOptions {
  readonly stack: string;
  readonly source: string;
  /**
   * Today (yyyy-mm-dd), for the end-of-life checks. Read from the clock only at the CLI
   * edge (todayFromEnvironment); tests pass a fixed date. @default - no date checks
   */
  readonly today?: string;
}

/** `AGENT_PLATFORM_TODAY` (yyyy-mm-dd) when set, else the UTC date of `now`: for CLI entry points only. */
export function todayFromEnvironment(env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): string {
  const given = env['AGENT_PLATFORM_TODAY'];
  if (given !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(given) || Number.isNaN(Date.parse(`${given}T00:00:00Z`))) {
      throw new ConfigError('AGENT_PLATFORM_TODAY', [
        { path: [], message: 'must be a date like 2026-12-02 (yyyy-mm-dd)', input: given, hasInput: true },
      ]);
    }
    return given;
  }
  return now.toISOString().slice(0, 10);
}

/** `Pulumi.staging.yaml` → `staging`; undefined for anything else. */
export function stackNameOf(file: string): string | undefined {
  const match = /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(basename(file));
  return match ? match[1] : undefined;
}

/** Reads the platform config out of a stack file, with file-level errors as ConfigError. */
export function readStackConfig(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [
      { path: [], message: `cannot be read: ${(error as Error).message}`, hasInput: false },
    ]);
  }
  if (text.includes('\u0000')) {
    throw new ConfigError(file, [
      { path: [], message: 'is not a text file (it holds NUL bytes); a stack file is YAML', hasInput: false },
    ]);
  }
  const root = stackDocument(file, text);
  const config = root?.config;
  if (!config || typeof config !== 'object') {
    throw new ConfigError(file, [
      {
        path: ['config'],
        message: `is required: a Pulumi stack file holds its settings under "config:"`,
        hasInput: false,
      },
    ]);
  }
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(config)) {
    if (!key.startsWith(`${PROJECT}:`)) continue;
    const name = key.slice(PROJECT.length + 1);
    if (name !== 'platform' && !(SECRET_KEYS as readonly string[]).includes(name)) {
      issues.push({
        path: ['config', key],
        message: `is not a key of this project (allowed: ${PLATFORM_KEY}, ${SECRET_KEYS.map((k) => `${PROJECT}:${k}`).join(', ')})`,
        hasInput: false,
      });
    }
  }
  for (const name of SECRET_KEYS) {
    const value = config[`${PROJECT}:${name}`];
    if (value !== undefined && !isEncrypted(value)) {
      // Never echo the value: it is a credential.
      issues.push({
        path: ['config', `${PROJECT}:${name}`],
        message: `is in plain text in the stack file; remove it and run \`pulumi config set --secret ${PROJECT}:${name} <value>\` (stored encrypted as "secure: ...")`,
        hasInput: false,
      });
    }
  }
  if (!(PLATFORM_KEY in config)) {
    issues.push({
      path: ['config', PLATFORM_KEY],
      message: 'is required: the environment lives under this key',
      hasInput: false,
    });
  }
  if (issues.length > 0) throw new ConfigError(file, issues);
  return config[PLATFORM_KEY];
}

type StackRoot = { config?: Record<string, unknown> } | null;

/**
 * The stack file's document: read by the fast reader of plain YAML (config/manifest/plain-yaml.ts,
 * the same values as the full parser, about ten times faster on a stack file of 10,000 tenants)
 * when the file is in its subset, else by the full parser, which reports errors with their line.
 */
function stackDocument(file: string, text: string): StackRoot {
  const fast = readPlainYaml(text);
  if (fast?.length === 1) return fast[0] as StackRoot;
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: [], message: `is not valid YAML: ${e.message.split('\n')[0]}`, hasInput: false })),
    );
  }
  let root: StackRoot;
  try {
    // yaml refuses documents whose aliases expand beyond maxAliasCount (a "billion laughs" bomb).
    root = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as StackRoot;
  } catch (error) {
    throw new ConfigError(file, [
      { path: [], message: `is not usable YAML: ${(error as Error).message.split('\n')[0]}`, hasInput: false },
    ]);
  }
  return root;
}

/** Aliases a stack file may expand (yaml's default, stated): more is an alias bomb. */
const MAX_ALIAS_COUNT = 100;

/** What `pulumi config set --secret` writes: `{ secure: <ciphertext> }`. */
function isEncrypted(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as { secure?: unknown }).secure === 'string'
  );
}

/** Loads, validates and resolves one stack file. */
export function loadStackFile(
  file: string,
  stack = stackNameOf(file) ?? basename(file, '.yaml'),
  options: { readonly today?: string } = {},
): LoadedEnvironment {
  return parseEnvironment(readStackConfig(file), {
    stack,
    source: `${basename(file)} (${PLATFORM_KEY})`,
    ...(options.today ? { today: options.today } : {}),
  });
}

/** Every `Pulumi.<stack>.yaml` in a directory, sorted by stack name. */
export function findStackFiles(dir: string): { stack: string; file: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : 'cannot be read';
    throw new ConfigError(dir, [
      { path: [], message: `${why}: give --root a folder holding Pulumi.<stack>.yaml files`, hasInput: false },
    ]);
  }
  return names
    .map((name) => ({ stack: stackNameOf(name), file: join(dir, name) }))
    .filter((s): s is { stack: string; file: string } => s.stack !== undefined)
    .sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
}
