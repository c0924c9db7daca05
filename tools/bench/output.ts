/** Reading what the measured tools print. */

/** `synthesized 2 stacks in 67 ms` → 67 (the synth's own in-process time). */
export function synthInProcessMs(stdout: string): number | undefined {
  const match = /synthesized \d+ stacks? in (\d+(?:\.\d+)?) ms/.exec(stdout);
  return match ? Number(match[1]) : undefined;
}

/** Sum of the synth's `<stack>: N files, M objects` lines. */
export function synthObjectCount(stdout: string): number {
  let total = 0;
  for (const match of stdout.matchAll(/^[\w.-]+: \d+ files?, (\d+) objects?$/gm)) total += Number(match[1]);
  return total;
}

/** Jest's summary, e.g. `suites 12 passed, 12 total; tests 3 failed, 120 passed, 123 total`. */
export function jestSummary(output: string): string | undefined {
  const suites = /^Test Suites:\s+(.+)$/m.exec(output)?.[1]?.trim();
  const tests = /^Tests:\s+(.+)$/m.exec(output)?.[1]?.trim();
  if (!tests) return undefined;
  return suites ? `suites ${suites}; tests ${tests}` : `tests ${tests}`;
}
