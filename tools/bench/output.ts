/** Reading what the measured tools print. */

/** `synthesized 2 stacks in 67 ms` → 67 (the synth's own in-process time). */
export function synthInProcessMs(stdout: string): number | undefined {
  const match = /synthesized \d+ stacks? in (\d+(?:\.\d+)?) ms/.exec(stdout);
  return match ? Number(match[1]) : undefined;
}

/** Sum of the synth's `<stack>: N files, M objects[; gate passed…]` lines (charts-src/main.ts). */
export function synthObjectCount(stdout: string): number {
  let total = 0;
  for (const match of stdout.matchAll(/^[\w.-]+: \d+ files?, (\d+) objects?(?:;.*)?$/gm)) total += Number(match[1]);
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

/**
 * The slowest test files of a `jest --json` report: each test file's result carries
 * `startTime`/`endTime` (jest's JSON output; `perfStats.start`/`end` in its API).
 */
export function slowestTestFiles(report: unknown, root: string, count: number): SlowFile[] {
  type FileResult = {
    name?: unknown;
    startTime?: unknown;
    endTime?: unknown;
    perfStats?: { start?: unknown; end?: unknown };
  };
  const results = (report as { testResults?: FileResult[] }).testResults;
  if (!Array.isArray(results)) return [];
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const files: SlowFile[] = [];
  for (const r of results) {
    const start = r.startTime ?? r.perfStats?.start;
    const end = r.endTime ?? r.perfStats?.end;
    if (typeof r.name !== 'string' || typeof start !== 'number' || typeof end !== 'number') continue;
    files.push({ file: r.name.startsWith(prefix) ? r.name.slice(prefix.length) : r.name, ms: end - start });
  }
  return files.sort((a, b) => b.ms - a.ms || (a.file < b.file ? -1 : 1)).slice(0, count);
}
