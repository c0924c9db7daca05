/**
 * The environment pictures (dist/<stack>/diagram.md, written by synth) in the review
 * comment: each stack's diagrams, folded, and when they changed against the base the
 * lines that changed as a `diff` block, so a moved workload or a new flow is seen.
 */
import { DIAGRAM_FILE } from '../../charts-src/diagram';

export { DIAGRAM_FILE };

/** Lines removed and added between two texts (order-insensitive: diagram lines are sorted). */
export function lineChanges(before: string, after: string): { removed: string[]; added: string[] } {
  const was = new Set(before.split('\n'));
  const now = new Set(after.split('\n'));
  return {
    removed: [...was].filter((l) => l.trim() !== '' && !now.has(l)),
    added: [...now].filter((l) => l.trim() !== '' && !was.has(l)),
  };
}

/** The Markdown of the diagram of one stack, with its changes; empty when the stack has none. */
export function diagramSection(stack: string, before: string | undefined, after: string | undefined): string[] {
  if (after === undefined) return [];
  const body = after.replace(/^# .*\n+/, '');
  if (before === undefined || before === after) {
    const state = before === undefined ? 'new' : 'unchanged';
    return [`<details><summary>Diagram of \`${stack}\` (${state})</summary>`, '', body, '</details>', ''];
  }
  const { removed, added } = lineChanges(before, after);
  return [
    `**Diagram of \`${stack}\` changed** (+${added.length} −${removed.length} lines):`,
    '',
    '```diff',
    ...removed.map((l) => `- ${l.trim()}`),
    ...added.map((l) => `+ ${l.trim()}`),
    '```',
    '',
    `<details><summary>Diagram of \`${stack}\` after the change</summary>`,
    '',
    body,
    '</details>',
    '',
  ];
}
