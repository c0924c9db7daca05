/**
 * Fixtures for tests: the real stack files, and fresh mutable copies of their raw
 * config to break on purpose.
 */
import { join } from 'node:path';
import { findStackFiles, loadStackFile, parseEnvironment, readStackConfig, type EnvironmentSpec } from '../../config';

export const REPO_ROOT = join(__dirname, '..', '..');
export const SHARED_ROOT = join(REPO_ROOT, '..', 'shared');

const specCache = new Map<string, EnvironmentSpec>();

/**
 * The stacks of this repository as the tools list them (`prod, staging`), read from
 * the stack files rather than written down, so adding Pulumi.<name>.yaml breaks no test.
 */
export function stackNames(): string {
  return findStackFiles(REPO_ROOT)
    .map((f) => f.stack)
    .join(', ');
}

/** The resolved environment of a real stack file (cached: specs are read-only). */
export function stackSpec(stack: 'staging' | 'prod'): EnvironmentSpec {
  let spec = specCache.get(stack);
  if (!spec) {
    spec = loadStackFile(join(REPO_ROOT, `Pulumi.${stack}.yaml`)).spec;
    specCache.set(stack, spec);
  }
  return spec;
}

/** A deep, mutable copy of a real stack file's raw `agent-platform:platform` value. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function rawStack(stack: 'staging' | 'prod' = 'staging'): any {
  return structuredClone(readStackConfig(join(REPO_ROOT, `Pulumi.${stack}.yaml`)));
}

/** Parses a raw environment the way both engines do. */
export function parseRaw(raw: unknown, stack = 'test'): EnvironmentSpec {
  return parseEnvironment(raw, { stack, source: `Pulumi.${stack}.yaml` }).spec;
}

/** The message of the ConfigError that parsing `raw` throws. */
export function configErrorOf(raw: unknown): string {
  try {
    parseRaw(raw);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the environment to be rejected, but it parsed');
}
