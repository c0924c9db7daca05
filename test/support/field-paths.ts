/** Every path to a value in a parsed document, and one path that does not exist under each mapping. */
export function fieldPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...fieldPaths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') {
    out.push([...prefix, 'not-there']);
    for (const [k, v] of Object.entries(value)) out.push(...fieldPaths(v, [...prefix, k]));
  }
  return out;
}
