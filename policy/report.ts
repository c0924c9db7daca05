/** The gate's report as text for people and as JSON for machines. */
import { describe } from './manifests';
import type { GateReport } from './runner';
import type { Finding } from './types';

/** Version of the JSON report format; bump on incompatible changes. */
export const REPORT_FORMAT_VERSION = 1;

function location(f: Pick<Finding, 'file' | 'line'>): string {
  return f.line !== undefined ? `${f.file}:${f.line}` : f.file;
}

export function summaryLine(report: GateReport): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `policy gate${report.stack ? ` (${report.stack})` : ''}: ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}, ${plural(report.waived.length, 'waived finding')} in ${plural(report.objects, 'object')} (Kubernetes ${report.kubernetesVersion})`;
}

export function formatText(report: GateReport, options: { warnings?: boolean } = {}): string {
  const lines: string[] = [summaryLine(report)];
  for (const note of report.notes) lines.push(`  note: ${note}`);
  const shown = report.findings.filter((f) => f.severity === 'error' || options.warnings !== false);
  for (const f of shown) {
    lines.push('');
    lines.push(`${f.severity === 'error' ? 'ERROR' : 'warning'} [${f.rule}] ${describe(f.object)}`);
    lines.push(`  at   ${location(f)}  ${f.path}`);
    lines.push(`  what ${f.message}`);
    lines.push(`  fix  ${f.fix}`);
  }
  if (report.waivers.length > 0) lines.push('', formatWaivers(report));
  return lines.join('\n');
}

/** The waiver list: each waiver, what it suppressed (0: stale) and its reason. */
export function formatWaivers(report: GateReport): string {
  return [
    `waivers (${report.waivers.length}):`,
    ...report.waivers.map(
      (w) =>
        `  [${w.rule}] ${describe(w.object)} (${w.file}): ${w.suppressed === 0 ? 'suppresses nothing (stale)' : `suppresses ${w.suppressed}`}; reason: ${w.reason}`,
    ),
  ].join('\n');
}

/** One JSON document for one or more reports (one per stack). */
export function toJson(reports: readonly GateReport[]): string {
  return `${JSON.stringify(
    {
      format: REPORT_FORMAT_VERSION,
      passed: reports.every((r) => r.passed),
      reports: reports.map((report) => ({
        stack: report.stack ?? null,
        kubernetesVersion: report.kubernetesVersion,
        passed: report.passed,
        objects: report.objects,
        errors: report.errors,
        warnings: report.warnings,
        notes: report.notes,
        findings: report.findings,
        waivers: report.waivers,
        waived: report.waived,
      })),
    },
    null,
    2,
  )}\n`;
}
