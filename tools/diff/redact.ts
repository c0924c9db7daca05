/**
 * Secret values never reach a PR comment: Secret `data`/`stringData` collapse to a
 * count of changed keys, and env values whose names look like credentials are
 * replaced wherever they appear (a changed value, or inside an added container).
 */
import { isObject, type Json } from './objects';
import type { FieldChange, PathSegment } from './structural';

export const REDACTED = '(redacted)';

/** Env var names that hold credentials: DATABASE_URL, API_KEY, GITHUB_TOKEN, DB_PASSWORD, ... */
const SECRET_NAME =
  /secret|token|passw|passwd|pwd|credential|private|api[-_]?key|access[-_]?key|(^|[-_])key($|[-_])|auth|dsn|database[-_]?url|conn(ection)?[-_]?str|cert/i;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A copy of `value` with the values of secret-looking env entries replaced. */
export function scrub(value: Json): Json {
  if (Array.isArray(value)) return value.map(scrub);
  if (!isObject(value)) return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'env' && Array.isArray(v)) {
      out[k] = v.map((item) =>
        isObject(item) && typeof item.name === 'string' && looksSecret(item.name) && 'value' in item
          ? { ...item, value: REDACTED }
          : scrub(item),
      );
    } else {
      out[k] = scrub(v);
    }
  }
  return out;
}

function secretEnvPath(path: readonly PathSegment[]): boolean {
  return path.some((s, i) => {
    if (!('match' in s) || !looksSecret(s.match[1])) return false;
    const parent = path[i - 1];
    return parent !== undefined && 'key' in parent && parent.key === 'env';
  });
}

const redactValue = (change: FieldChange, value: Json | undefined): Json | undefined =>
  value === undefined ? undefined : secretEnvPath(change.path) ? REDACTED : scrub(value);

/**
 * Field changes made safe to print. For a Secret every change under `data` or
 * `stringData` becomes one line `(redacted, N keys changed)`.
 */
export function redactChanges(kind: string, changes: readonly FieldChange[]): FieldChange[] {
  const out: FieldChange[] = [];
  const secretKeys = new Set<string>();
  let secretAt = -1;
  for (const change of changes) {
    const first = change.path[0];
    const inData =
      kind === 'Secret' && first !== undefined && 'key' in first && ['data', 'stringData'].includes(first.key);
    if (inData) {
      const second = change.path[1];
      if (second !== undefined && 'key' in second) {
        secretKeys.add(second.key);
      } else {
        // The whole map was added or removed: count its keys.
        const map = (change.after ?? change.before) as Json;
        for (const key of isObject(map) ? Object.keys(map) : []) secretKeys.add(key);
      }
      if (secretAt < 0) {
        secretAt = out.length;
        out.push(change);
      }
      continue;
    }
    const before = redactValue(change, change.before);
    const after = redactValue(change, change.after);
    out.push({
      path: change.path,
      op: change.op,
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    });
  }
  if (secretAt >= 0) {
    out[secretAt] = {
      path: [{ key: 'data' }],
      op: 'changed',
      note: `(redacted, ${secretKeys.size} ${secretKeys.size === 1 ? 'key' : 'keys'} changed)`,
    };
  }
  return out;
}
