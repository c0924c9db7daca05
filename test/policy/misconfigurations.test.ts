/**
 * A corpus of realistic misconfigurations (test/policy/misconfigurations/*.yaml), each
 * dropped into the compliant staging platform: an object of the file replaces the
 * platform's object of the same kind, namespace and name, or is added. Every file
 * names the rules it must trip (`# expect: rule ...`); the gate must report each of
 * them against that file, with a path and a fix, and the committed stacks stay clean
 * (test/policy/dist.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe as describeObject, fromObjects, idOf, parseManifests, runGate, type Manifest } from '../../policy';
import { stackSpec } from '../support/environments';
import { platform, TEST_SCHEMAS } from './fixtures';

const CORPUS = join(__dirname, 'misconfigurations');
const spec = stackSpec('staging');
const files = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** The families that read what objects grant: every one of their rules has a corpus entry. */
const CONTENT_FAMILIES = [
  'rbac',
  'network-policy',
  'service-exposure',
  'secret-material',
  'mesh',
  'sandbox',
  'resource-bounds',
];

function expectedRules(text: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith('# expect:'));
  return line ? line.slice('# expect:'.length).trim().split(/\s+/) : [];
}

/** The compliant platform with the corpus file's objects in place of (or next to) its own. */
function judge(file: string) {
  const corpus = parseManifests(readFileSync(join(CORPUS, file), 'utf8'), file);
  const replaced = new Set(corpus.map((m) => describeObject(idOf(m.object))));
  const base = fromObjects(platform(spec), 'platform.yaml').filter(
    (m: Manifest) => !replaced.has(describeObject(idOf(m.object))),
  );
  return runGate([...base, ...corpus], { spec, schemas: TEST_SCHEMAS });
}

describe('the misconfiguration corpus', () => {
  it('holds at least 30 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files)('%s is caught by the rules it names', (file) => {
    const expected = expectedRules(readFileSync(join(CORPUS, file), 'utf8'));
    expect(expected.length).toBeGreaterThan(0);
    const report = judge(file);
    const onFile = report.findings.filter((f) => f.file === file && f.severity === 'error');
    expect([...new Set(onFile.map((f) => f.rule))]).toEqual(expect.arrayContaining(expected));
    for (const finding of onFile.filter((f) => expected.includes(f.rule))) {
      expect(finding.path).not.toBe('(object)');
      expect(finding.line).toBeGreaterThan(0);
      expect(finding.fix.length).toBeGreaterThan(10);
    }
    expect(report.passed).toBe(false);
  });

  it('covers every rule of the content families', async () => {
    const { RULE_FAMILIES } = await import('../../policy');
    const contentRules = RULE_FAMILIES.filter((f) => CONTENT_FAMILIES.includes(f.name)).flatMap((f) =>
      f.rules.map((r) => r.id),
    );
    const covered = new Set(files.flatMap((f) => expectedRules(readFileSync(join(CORPUS, f), 'utf8'))));
    expect(contentRules.filter((id) => !covered.has(id))).toEqual([]);
  });
});
