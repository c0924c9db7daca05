/**
 * The diff report as Markdown for a pull-request comment: risks first, then the
 * objects per stack, field changes folded in <details>.
 */
import type { DiffReport, StackDiff } from './compare';
import { displayName } from './objects';
import { RISK_TITLES, show, type RiskCategory } from './risks';
import { formatPath, type FieldChange } from './structural';

export interface DiffHeading {
  /** What the base is, e.g. `origin/main (3f2a1bc)`. */
  readonly base: string;
  /** What is compared against it, e.g. `working tree`. */
  readonly head: string;
}

/** Inline code that survives backticks inside the value. */
export function code(text: string): string {
  const clean = text.replace(/\r?\n/g, '⏎');
  const fence = clean.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${clean}${fence === '``' ? ' ' : ''}${fence}`;
}

function fieldLine(change: FieldChange): string {
  const path = code(formatPath(change.path) || '(whole object)');
  if (change.note) return `- ${path}: ${change.note}`;
  switch (change.op) {
    case 'added':
      return `- ${path}: added ${code(show(change.after))}`;
    case 'removed':
      return `- ${path}: removed (was ${code(show(change.before))})`;
    default:
      return `- ${path}: ${code(show(change.before))} → ${code(show(change.after))}`;
  }
}

/** Risks listed per category before the rest folds into <details>. */
const RISKS_INLINE = 8;
/** Object rows shown before the table folds into <details>. */
const TABLE_INLINE = 25;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The stack's risk flags by category, long categories folded. */
function riskLines(diff: StackDiff): string[] {
  const lines: string[] = [];
  if (diff.risks.length > 0) {
    lines.push(`**Risk flags (${diff.risks.length})**`, '');
    const categories = [...new Set(diff.risks.map((r) => r.category))] as RiskCategory[];
    for (const category of Object.keys(RISK_TITLES) as RiskCategory[]) {
      if (!categories.includes(category)) continue;
      const risks = diff.risks.filter((r) => r.category === category);
      lines.push(`- ⚠️ **${RISK_TITLES[category]}** (${risks.length})`);
      const shown = risks.length > RISKS_INLINE + 2 ? RISKS_INLINE : risks.length;
      for (const risk of risks.slice(0, shown)) lines.push(`  - ${risk.object}: ${risk.message}`);
      if (shown < risks.length) {
        lines.push('', `  <details><summary>${risks.length - shown} more</summary>`, '');
        for (const risk of risks.slice(shown)) lines.push(`  - ${risk.object}: ${risk.message}`);
        lines.push('', '  </details>', '');
      }
    }
    lines.push('');
  }
  return lines;
}

function stackSection(diff: StackDiff): string[] {
  const total = diff.added.length + diff.removed.length + diff.changed.length;
  const lines: string[] = [];
  lines.push(`### Stack \`${diff.stack}\``, '');
  if (diff.status === 'new') lines.push('**New stack**: there is no `dist/' + diff.stack + '/` at the base.', '');
  if (diff.status === 'gone')
    lines.push('**Stack removed**: its `dist/' + diff.stack + '/` is gone from the working tree.', '');
  if (total === 0) {
    lines.push(
      `No manifest changes${diff.moved > 0 ? ` (${plural(diff.moved, 'object')} moved between files, content unchanged)` : ''}.`,
      '',
      ...riskLines(diff),
    );
    return lines;
  }
  lines.push(
    `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed` +
      (diff.moved > 0 ? `; ${plural(diff.moved, 'object')} moved between files with no change` : '') +
      '.',
    '',
  );
  lines.push(...riskLines(diff));
  const rows = diff.added.length + diff.removed.length + diff.changed.length;
  const folded = rows > TABLE_INLINE;
  if (folded) lines.push(`<details><summary>${plural(rows, 'object')} added, removed or changed</summary>`, '');
  lines.push('| | object | file |', '| --- | --- | --- |');
  for (const o of diff.added) lines.push(`| added | ${displayName(o)} | ${code(o.file)} |`);
  for (const o of diff.removed) lines.push(`| removed | ${displayName(o)} | ${code(o.file)} |`);
  for (const c of diff.changed) {
    const file = c.before.file === c.after.file ? code(c.after.file) : `${code(c.before.file)} → ${code(c.after.file)}`;
    lines.push(`| changed | ${displayName(c.after)} | ${file} |`);
  }
  lines.push('');
  if (folded) lines.push('</details>', '');
  for (const c of diff.changed) {
    lines.push(
      `<details><summary>${displayName(c.after)}: ${plural(c.changes.length, 'field change')}</summary>`,
      '',
      ...c.changes.map(fieldLine),
      '',
      '</details>',
      '',
    );
  }
  return lines;
}

export function renderDiffMarkdown(report: DiffReport, heading: DiffHeading): string {
  const lines = [`## Manifest diff: ${heading.base} → ${heading.head}`, ''];
  if (!report.hasChanges) {
    lines.push('No manifest changes.', '');
    const moved = report.stacks.reduce((n, s) => n + s.moved, 0);
    if (moved > 0) lines.push(`(${plural(moved, 'object')} moved between files, content unchanged.)`, '');
    return lines.join('\n');
  }
  const risks = report.stacks.reduce((n, s) => n + s.risks.length, 0);
  lines.push(
    risks > 0
      ? `**${plural(risks, 'risk flag')}** across ${report.stacks
          .filter((s) => s.risks.length > 0)
          .map((s) => `\`${s.stack}\``)
          .join(', ')}: read them before approving.`
      : 'No risk flags.',
    '',
  );
  for (const stack of report.stacks) lines.push(...stackSection(stack));
  return lines.join('\n');
}
