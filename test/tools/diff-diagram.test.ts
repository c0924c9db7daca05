/** The environment diagrams in the review comment, with what changed against the base. */
import { diagramSection, lineChanges } from '../../tools/diff/diagram-section';

const diagram = (...lines: string[]) =>
  ['# Environment `staging`', '', '```mermaid', 'flowchart LR', ...lines, '```', ''].join('\n');

describe('diagramSection', () => {
  const before = diagram('  a --> b', '  b --> c');
  const after = diagram('  a --> b', '  b --> d');

  it('shows the changed lines as a diff block, then the new diagram', () => {
    expect(lineChanges(before, after)).toEqual({ removed: ['  b --> c'], added: ['  b --> d'] });
    const text = diagramSection('staging', before, after).join('\n');
    expect(text).toContain('**Diagram of `staging` changed** (+1 −1 lines):\n\n```diff\n- b --> c\n+ b --> d\n```');
    expect(text).toContain('<details><summary>Diagram of `staging` after the change</summary>\n\n```mermaid');
    expect(text).not.toContain('# Environment');
  });

  it('folds an unchanged or new diagram, and shows nothing for a stack without one', () => {
    expect(diagramSection('staging', before, before)[0]).toBe(
      '<details><summary>Diagram of `staging` (unchanged)</summary>',
    );
    expect(diagramSection('staging', undefined, before)[0]).toBe(
      '<details><summary>Diagram of `staging` (new)</summary>',
    );
    expect(diagramSection('gone', before, undefined)).toEqual([]);
  });
});
