/**
 * Whole-process measurement of a command: wall time (monotonic clock around the
 * spawn), peak resident memory and CPU time.
 *
 * Method, in order of preference:
 * - `gnu-time`: the command runs under GNU time (`/usr/bin/time`), which reports the
 *   wait4() rusage of the command's process tree: ru_maxrss is the peak RSS of the
 *   largest single process in it (for jest: the biggest worker or the parent), and
 *   user/system CPU summed over the tree.
 * - `node-probe`: without GNU time, every Node process in the tree loads a small
 *   probe (through NODE_OPTIONS=--require) that records process.resourceUsage() at
 *   exit; peak RSS is the largest maxRSS among them, CPU the sum. Non-Node children
 *   are not seen, which is why GNU time is preferred.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type MeasureMethod = 'gnu-time' | 'node-probe';

export const GNU_TIME = '/usr/bin/time';

export interface Measurement {
  readonly wallMs: number;
  /** Peak resident set size in bytes (see the method). */
  readonly peakRssBytes: number;
  /** User + system CPU time, milliseconds. */
  readonly cpuMs: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly method: MeasureMethod;
}

export interface MeasureOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Force a method; by default GNU time when present. */
  readonly method?: MeasureMethod;
  /** Kill the command after this long. @default 600000 */
  readonly timeoutMs?: number;
}

export function defaultMethod(): MeasureMethod {
  return existsSync(GNU_TIME) ? 'gnu-time' : 'node-probe';
}

/** Human description of a method, for the report. */
export function describeMethod(method: MeasureMethod): string {
  return method === 'gnu-time'
    ? 'wall time: monotonic clock around the spawn; peak memory: maximum RSS of the largest process in the tree (GNU time, wait4 rusage)'
    : 'wall time: monotonic clock around the spawn; peak memory: largest process.resourceUsage().maxRSS among the Node processes of the tree (probe loaded through NODE_OPTIONS)';
}

/** Parses the `-f '%M %U %S'` line GNU time writes: max RSS (KiB), user s, system s. */
export function parseGnuTime(text: string): { peakRssBytes: number; cpuMs: number } {
  const line = text
    .trim()
    .split('\n')
    .filter((l) => /^\d+ [\d.]+ [\d.]+$/.test(l.trim()))
    .pop();
  if (!line) throw new Error(`unexpected GNU time output: ${JSON.stringify(text.slice(0, 200))}`);
  const [rss, user, sys] = line.trim().split(' ').map(Number) as [number, number, number];
  return { peakRssBytes: rss * 1024, cpuMs: (user + sys) * 1000 };
}

const PROBE = `'use strict';
process.on('exit', () => {
  const u = process.resourceUsage();
  require('fs').writeFileSync(require('path').join(process.env.BENCH_PROBE_DIR, String(process.pid)),
    JSON.stringify({ maxRSS: u.maxRSS, cpu: u.userCPUTime + u.systemCPUTime }));
});
`;

/** Combines probe records: the largest maxRSS (KiB) and the summed CPU (µs). */
export function combineProbeRecords(records: readonly { maxRSS: number; cpu: number }[]): {
  peakRssBytes: number;
  cpuMs: number;
} {
  return {
    peakRssBytes: records.reduce((m, r) => Math.max(m, r.maxRSS), 0) * 1024,
    cpuMs: records.reduce((s, r) => s + r.cpu, 0) / 1000,
  };
}

export function measure(command: string, args: readonly string[], options: MeasureOptions = {}): Measurement {
  const method = options.method ?? defaultMethod();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-measure-'));
  try {
    let file = command;
    let argv = [...args];
    let env = { ...process.env, ...options.env };
    const timeFile = join(scratch, 'time.txt');
    const probeDir = join(scratch, 'probe');
    if (method === 'gnu-time') {
      file = GNU_TIME;
      argv = ['-f', '%M %U %S', '-o', timeFile, command, ...args];
    } else {
      const probe = join(scratch, 'probe.js');
      writeFileSync(probe, PROBE);
      mkdirSync(probeDir);
      env = {
        ...env,
        BENCH_PROBE_DIR: probeDir,
        NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(probe)}`.trim(),
      };
    }
    const started = process.hrtime.bigint();
    const result = spawnSync(file, argv, {
      cwd: options.cwd,
      env,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout: options.timeoutMs ?? 600_000,
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.error) throw new Error(`cannot run ${command}: ${result.error.message}`);
    const usage =
      method === 'gnu-time'
        ? parseGnuTime(readFileSync(timeFile, 'utf8'))
        : combineProbeRecords(readdirSync(probeDir).map((f) => JSON.parse(readFileSync(join(probeDir, f), 'utf8'))));
    return {
      wallMs,
      ...usage,
      exitCode: result.status ?? 128,
      stdout: result.stdout,
      stderr: result.stderr,
      method,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
