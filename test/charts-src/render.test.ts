import { parse } from 'yaml';
import { toYaml } from '../../charts-src/render';

describe('toYaml', () => {
  it('quotes strings that YAML 1.1 readers (kubectl, Helm, the API server) would take for booleans', () => {
    const text = toYaml([{ spec: { updateMode: 'Off', a: 'on', b: 'yes', c: 'no', d: 'true', e: 'Recreate' } }]);
    expect(text).toContain('updateMode: "Off"');
    expect(text).toContain('e: Recreate');
    const asGoReadsIt = parse(text, { version: '1.1' });
    expect(asGoReadsIt.spec).toEqual({ updateMode: 'Off', a: 'on', b: 'yes', c: 'no', d: 'true', e: 'Recreate' });
  });

  it('separates documents and never wraps long lines', () => {
    const long = 'x'.repeat(300);
    const text = toYaml([{ a: long }, { b: 1 }]);
    expect(text).toBe(`a: ${long}\n---\nb: 1\n`);
  });
});
