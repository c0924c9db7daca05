/**
 * Go RE2 patterns (what Kubernetes schemas are written in) as JavaScript regular
 * expressions, built once per pattern text.
 */

const regexCache = new Map<string, RegExp | null>();

/** Go RE2 → JavaScript: `(?i)` and friends become flags; what JavaScript cannot express is not enforced. */
export function goRegExp(pattern: string): RegExp | null {
  let cached = regexCache.get(pattern);
  if (cached !== undefined) return cached;
  let source = pattern;
  let flags = 'u';
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    flags += inline[1]!.replace(/U/g, '');
  }
  try {
    cached = new RegExp(source, flags);
  } catch {
    try {
      cached = new RegExp(source, flags.replace('u', ''));
    } catch {
      cached = null;
    }
  }
  regexCache.set(pattern, cached);
  return cached;
}
