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
  return stable(value, new Map());
}

/**
 * The text of a value does not depend on where it appears, so each object is
 * serialized once per call: a resolved environment shares objects (every tenant
 * without its own quota holds the same `tenantDefaults.quota`), and a thousand
 * tenants would otherwise serialize the same guardrails a thousand times.
 */
function stable(value: unknown, seen: Map<object, string>): string {
  if (!value || typeof value !== 'object') return JSON.stringify(value);
  const known = seen.get(value);
  if (known !== undefined) return known;
  let text: string;
  if (Array.isArray(value)) {
    text = '[';
    // join() writes holes and undefined items (JSON.stringify gives undefined) as nothing.
    for (let i = 0; i < value.length; i++)
      text += (i > 0 ? ',' : '') + ((stable(value[i], seen) as string | undefined) ?? '');
    text += ']';
  } else {
    const record = value as Record<string, unknown>;
    // Plain sort() orders by UTF-16 code units, as `<` does; keys are unique.
    const keys = Object.keys(record).sort();
    text = '{';
    for (const key of keys) {
      const item = record[key];
      if (item === undefined) continue;
      text += (text.length > 1 ? ',' : '') + quotedKey(key) + ':' + stable(item, seen);
    }
    text += '}';
  }
  seen.set(value, text);
  return text;
}

const KEY_TEXT = new Map<string, string>();
/** A key's JSON text; the same few hundred keys recur in every tenant. */
function quotedKey(key: string): string {
  let text = KEY_TEXT.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (KEY_TEXT.size < 10_000) KEY_TEXT.set(key, text);
  }
  return text;
}

export function environmentDigest(spec: EnvironmentSpec): string {
  return sha256(stableJson(spec));
}
