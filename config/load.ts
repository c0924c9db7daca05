/**
 * The one loader both engines use. cdk8s reads `Pulumi.<stack>.yaml` from disk;
 * the Pulumi program passes `new pulumi.Config().requireObject('platform')`. Both
 * end in `parseEnvironment`, so a stack file means the same thing to both.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
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
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: [], message: `is not valid YAML: ${e.message.split('\n')[0]}`, hasInput: false })),
    );
  }
  const root = doc.toJS() as { config?: Record<string, unknown> } | null;
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
  return readdirSync(dir)
    .map((name) => ({ stack: stackNameOf(name), file: join(dir, name) }))
    .filter((s): s is { stack: string; file: string } => s.stack !== undefined)
    .sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
}
