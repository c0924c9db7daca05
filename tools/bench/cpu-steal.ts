/**
 * CPU time stolen from this machine while it was measured. On a virtual machine the
 * hypervisor runs other guests on the same physical cores; the time this guest's
 * CPUs were ready to run but did not is "steal" (the 8th counter of /proc/stat's
 * `cpu` line, proc(5)). The load average does not see it: a quiet-looking guest can
 * lose much of its CPU, and every wall time with it. The bench reports it next to the
 * load and the CPU calibration (tools/bench/cpu-speed.ts, which sees a slower CPU that
 * steals nothing), so that a reader can tell a slow commit from a crowded host.
 */
import { readFileSync } from 'node:fs';

/** The aggregate CPU counters of /proc/stat, in clock ticks, all cores together. */
export interface CpuTicks {
  /** user + nice + system + idle + iowait + irq + softirq + steal (guest time is already inside user and nice). */
  readonly total: number;
  readonly steal: number;
}

/** The `cpu` line of /proc/stat's text, or undefined when there is none or it is not made of counters. */
export function parseProcStat(text: string): CpuTicks | undefined {
  const line = text.split('\n').find((l) => /^cpu\s/.test(l));
  if (!line) return undefined;
  const fields = line.trim().split(/\s+/).slice(1);
  if (fields.length < 8 || !fields.every((f) => /^\d+$/.test(f))) return undefined;
  const counters = fields.slice(0, 8).map(Number);
  return { total: counters.reduce((a, b) => a + b, 0), steal: counters[7]! };
}

/** The machine's counters now; undefined where there is no /proc/stat (not Linux). */
export function readCpuTicks(path = '/proc/stat'): CpuTicks | undefined {
  try {
    return parseProcStat(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The share (0–1) of all cores' time stolen between two readings; undefined when it cannot be told. */
export function stealShare(before: CpuTicks | undefined, after: CpuTicks | undefined): number | undefined {
  if (!before || !after) return undefined;
  const total = after.total - before.total;
  const steal = after.steal - before.steal;
  if (total <= 0 || steal < 0) return undefined;
  return steal / total;
}

/** The report's sentence for a share, e.g. "4.2 % of the cores' time was stolen by the hypervisor". */
export function describeSteal(share: number | undefined): string {
  if (share === undefined) return 'CPU steal not measured (no /proc/stat)';
  const pct = (share * 100).toFixed(1);
  return `${pct} % of the cores' time was stolen by the hypervisor for other guests (above a few percent, wall times are inflated by about that share or more)`;
}
