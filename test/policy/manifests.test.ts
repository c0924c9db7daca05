import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, loadManifests, parseManifests } from '../../policy';
import { metadataOf, withMetadataMemo } from '../../policy/manifests';

describe('reading manifests', () => {
  const text = [
    '# a comment',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: a',
    'data:',
    '  key: value',
    '---',
    '---',
    'apiVersion: v1',
    'kind: List',
    'items:',
    '  - apiVersion: v1',
    '    kind: Secret',
    '    metadata:',
    '      name: b',
    '',
  ].join('\n');

  it('reads a file of more documents than a call takes arguments (about 125,000: 14,000 tenants of guardrails)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'manifests-')), 'guardrails.yaml');
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`;
    writeFileSync(file, Array.from({ length: 130_000 }, (_, i) => doc(i)).join('---\n'));
    const manifests = loadManifests([file]);
    expect(manifests).toHaveLength(130_000);
    expect(manifests[129_999]).toMatchObject({ document: 129_999, object: { metadata: { name: 'c129999' } } });
  });

  it('skips empty documents, expands List items and maps field paths to lines', () => {
    const manifests = parseManifests(text, 'x.yaml');
    expect(
      manifests.map((m) => `${String(m.object.kind)}/${String((m.object.metadata as { name: string }).name)}`),
    ).toEqual(['ConfigMap/a', 'Secret/b']);
    expect(manifests[0]!.lineOf?.(['data', 'key'])).toBe(8);
    // A path that does not exist maps to its deepest existing parent.
    expect(manifests[0]!.lineOf?.(['data', 'missing', 'deeper'])).toBe(8);
    expect(manifests[1]!.lineOf?.(['metadata', 'name'])).toBe(17);
  });

  it('refuses duplicate keys and broken YAML with file, line and column', () => {
    expect(() => parseManifests('a: 1\na: 2\n', 'dup.yaml')).toThrow(InputError);
    expect(() => parseManifests('a: 1\na: 2\n', 'dup.yaml')).toThrow(/^dup\.yaml:2:1: invalid YAML: /);
    expect(() => parseManifests('kind: [\n', 'bad.yaml')).toThrow(/^bad\.yaml:\d+:\d+: invalid YAML: /);
  });

  it('refuses documents that are not mappings', () => {
    expect(() => parseManifests('- a\n', 'list.yaml')).toThrow(
      'list.yaml:1:1: document 1 is not a Kubernetes object (a mapping)',
    );
  });
});

describe('metadataOf during a gate run', () => {
  it('is remembered per object inside withMetadataMemo, and sees edits outside it', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { app: 'x', n: 1 } } };
    withMetadataMemo(() => {
      const first = metadataOf(object);
      expect(first).toEqual({ name: 'a', labels: { app: 'x' }, annotations: {} });
      expect(metadataOf(object)).toBe(first);
    });
    object.metadata.labels.app = 'y';
    expect(metadataOf(object).labels).toEqual({ app: 'y' });
    expect(metadataOf(object)).not.toBe(metadataOf(object));
  });
});
