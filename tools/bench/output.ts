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

export interface SlowFile {
  /** Test file, relative to the repository. */
  readonly file: string;
  readonly ms: number;
}

/** The slowest test files of a `jest --json` report (perfStats of each test file). */
export function slowestTestFiles(report: unknown, root: string, count: number): SlowFile[] {
  const results = (report as { testResults?: { name?: string; perfStats?: { start?: number; end?: number } }[] })
    .testResults;
  if (!Array.isArray(results)) return [];
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return results
    .filter((r) => typeof r.name === 'string' && r.perfStats?.start !== undefined && r.perfStats.end !== undefined)
    .map((r) => ({
      file: r.name!.startsWith(prefix) ? r.name!.slice(prefix.length) : r.name!,
      ms: r.perfStats!.end! - r.perfStats!.start!,
    }))
    .sort((a, b) => b.ms - a.ms || (a.file < b.file ? -1 : 1))
    .slice(0, count);
}
