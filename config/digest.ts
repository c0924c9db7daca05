/**
 * A digest of the resolved environment, written into dist/<stack>/index.json at
 * synth and recomputed by infra/ at deploy: a dist/ rendered from other settings
 * (stale, or for another stack) is refused before anything changes.
 */
import { createHash } from 'node:crypto';
import type { EnvironmentSpec } from './environment';

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted and undefined dropped: equal specs give equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function environmentDigest(spec: EnvironmentSpec): string {
  return sha256(stableJson(spec));
}
