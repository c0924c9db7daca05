/**
 * The benchmark report: a Markdown section written into docs/benchmarks.md between
 * two markers, so the hand-written parts of that file (findings, history) stay.
 */
import type { Summary } from './stats';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly os: string;
}

export interface BenchRow {
  readonly name: string;
  /** Objects rendered or checked, when it applies. */
  readonly objects?: number;
  /** Whole-process wall time, ms. */
  readonly wall?: Summary;
  /** The tool's own in-process time, ms (synth: the time it logs). */
  readonly inProcess?: Summary;
  /** User + system CPU time of the whole process tree, ms: what the work costs, whatever else runs. */
  readonly cpu?: Summary;
  /** Peak RSS, bytes. */
  readonly peakRss?: Summary;
  /** YAML-only serialization of the same objects, ms. */
  readonly floor?: Summary;
  /** CPU time of that serialization, ms. */
  readonly floorCpu?: Summary;
  /** Why there is no measurement, or what else to know about the row. */
  readonly note?: string;
  /** The CPU calibration taken right before the row's measured runs, ms (tools/bench/cpu-speed.ts). */
  readonly calibrationMs?: number;
  /** With `--steady`: the calibration never came down to the limit before the row ran. */
  readonly unsteady?: boolean;
}

export interface TargetResult {
  readonly target: string;
  readonly measured: string;
  /** undefined: could not be measured. */
  readonly met: boolean | undefined;
}

export interface PhaseBreakdown {
  readonly stack: string;
  readonly objects: number;
  /** Median wall and CPU time per phase, ms. */
  readonly phases: readonly { readonly label: string; readonly ms: number; readonly cpuMs: number }[];
  /** Node start, module loading and exit of the synth process (whole-process wall − in-process), ms. */
  readonly startupMs?: number;
}

export interface BenchReport {
  readonly date: string;
  readonly commit: string;
  readonly machine: Machine;
  readonly runs: number;
  readonly method: string;
  /** The machine's load while measuring (it may be shared). */
  readonly load?: string;
  readonly rows: readonly BenchRow[];
  readonly targets: readonly TargetResult[];
  readonly phases?: PhaseBreakdown;
  readonly growth?: string;
  /** Slowest test files of the last test-suite run. */
  readonly slowestTests?: readonly { readonly file: string; readonly ms: number }[];
}

export const BEGIN_MARKER = '<!-- bench:begin (written by npm run bench; edit outside the markers) -->';
export const END_MARKER = '<!-- bench:end -->';

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms)} ms`;
}

export function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${Math.round(mib)} MiB`;
}

/** `median (min–max)`; a single run shows just the value. */
export function formatSummary(s: Summary | undefined, format: (v: number) => string = formatMs): string {
  if (!s) return '–';
  if (s.n === 1) return format(s.median);
  return `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}

export function ratio(numerator: Summary | undefined, denominator: Summary | undefined): string {
  if (!numerator || !denominator || denominator.median <= 0) return '–';
  return `${(numerator.median / denominator.median).toFixed(2)}×`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function formatReport(report: BenchReport): string {
  const m = report.machine;
  const lines: string[] = [
    `Measured ${report.date} at commit \`${report.commit}\`, ${report.runs} run(s) per benchmark (median, min–max).`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${formatBytes(m.memoryBytes)} memory, Node ${m.node}, ${m.os}.`,
    '',
    `Method: ${report.method}.`,
    ...(report.load ? ['', `Machine load: ${report.load}.`] : []),
    '',
    '| Benchmark | Objects | Wall time | In-process | CPU time | Peak RSS | Floor (YAML only) | Wall / floor | In-process / floor | CPU calibration |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of report.rows) {
    if (!row.wall) {
      lines.push(
        `| ${escapeCell(row.name)} | – | ${escapeCell(row.note ?? 'not measured')} | – | – | – | – | – | – | – |`,
      );
      continue;
    }
    lines.push(
      `| ${[
        escapeCell(row.note ? `${row.name} (${row.note})` : row.name),
        row.objects === undefined ? '–' : String(row.objects),
        formatSummary(row.wall),
        formatSummary(row.inProcess),
        formatSummary(row.cpu),
        formatSummary(row.peakRss, formatBytes),
        formatSummary(row.floor),
        ratio(row.wall, row.floor),
        ratio(row.inProcess, row.floor),
        row.calibrationMs === undefined ? '–' : `${formatMs(row.calibrationMs)}${row.unsteady ? ' (not steady)' : ''}`,
      ].join(' | ')} |`,
    );
  }
  lines.push('', '| Target | Measured | Met |', '| --- | --- | --- |');
  for (const t of report.targets) {
    const met = t.met === undefined ? 'not measured' : t.met ? 'yes' : '**no**';
    lines.push(`| ${escapeCell(t.target)} | ${escapeCell(t.measured)} | ${met} |`);
  }
  if (report.growth) lines.push('', report.growth);
  if (report.phases) {
    const total = report.phases.phases.reduce((s, p) => s + p.ms, 0);
    const totalCpu = report.phases.phases.reduce((s, p) => s + p.cpuMs, 0);
    lines.push(
      '',
      `In-process phases of one synth of \`${report.phases.stack}\` (${report.phases.objects} objects, median per phase):`,
      '',
      '| Phase | Wall time | CPU time | Share of wall |',
      '| --- | ---: | ---: | ---: |',
    );
    for (const p of report.phases.phases) {
      const share = total > 0 ? ((p.ms / total) * 100).toFixed(0) : '0';
      lines.push(`| ${escapeCell(p.label)} | ${formatMs(p.ms)} | ${formatMs(p.cpuMs)} | ${share}% |`);
    }
    lines.push(`| total | ${formatMs(total)} | ${formatMs(totalCpu)} | 100% |`);
    if (report.phases.startupMs !== undefined) {
      lines.push(
        '',
        `Outside these phases, Node's start, module loading and exit take ${formatMs(report.phases.startupMs)} of that synth's wall time (whole-process median − in-process median).`,
      );
    }
  }
  if (report.slowestTests && report.slowestTests.length > 0) {
    lines.push('', 'Slowest test files (last run, from jest --json):', '', '| Test file | Time |', '| --- | ---: |');
    for (const t of report.slowestTests) lines.push(`| \`${escapeCell(t.file)}\` | ${formatMs(t.ms)} |`);
  }
  return lines.join('\n');
}

/**
 * Puts `section` between the markers of `existing` (or appends the markers and
 * section to it, or to a fresh heading when there is no file yet).
 */
export function spliceReport(existing: string | undefined, section: string): string {
  const block = `${BEGIN_MARKER}\n\n${section}\n\n${END_MARKER}`;
  if (existing === undefined || existing.trim() === '') return `# Benchmarks\n\n${block}\n`;
  const begin = existing.indexOf(BEGIN_MARKER);
  const end = existing.indexOf(END_MARKER);
  if (begin >= 0 && end > begin) {
    return `${existing.slice(0, begin)}${block}${existing.slice(end + END_MARKER.length)}`;
  }
  return `${existing.replace(/\s*$/, '')}\n\n${block}\n`;
}
