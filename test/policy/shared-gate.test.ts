/**
 * A gate run whose families are judged in two shares (policy/shared-gate.ts, runner.ts
 * `delegated`) reports exactly what one run over every family reports. The helper's share
 * is judged here over a structured clone of the objects, as a thread receives them; the
 * thread itself is run in test/charts-src/threads.test.ts.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  judgeFamilies,
  loadManifests,
  RULE_FAMILIES,
  runGate,
  type GateOptions,
  type Manifest,
  type PlacedFinding,
} from '../../policy';
import { renderedManifests } from '../../policy/shared-gate';
import { REPO_ROOT, stackSpec } from '../support/environments';
import { TEST_SCHEMAS } from './fixtures';

const FAMILIES = RULE_FAMILIES.map((f) => f.name);

/** The report with `helper` judged over a copy of the objects and the rest by this run. */
function sharedReport(manifests: readonly Manifest[], options: GateOptions, helper: readonly string[]) {
  const copies = manifests.map((m) => ({ object: structuredClone(m.object), file: m.file, document: m.document }));
  const theirs = judgeFamilies(copies, options, helper);
  const own = judgeFamilies(
    manifests,
    options,
    FAMILIES.filter((f) => !helper.includes(f)),
  );
  return runGate(manifests, { ...options, delegated: { families: FAMILIES, findings: [...own, ...theirs] } });
}

function distManifests(stack: string): Manifest[] {
  const dir = join(REPO_ROOT, 'dist', stack);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(dir, f));
  return loadManifests(files, (f) => `dist/${stack}/${f.split('/').pop()}`);
}

const SHARES: readonly (readonly string[])[] = [['schema'], FAMILIES.filter((_, i) => i % 2 === 0), FAMILIES, []];

describe('a gate judged in two shares', () => {
  it.each(['staging', 'prod'] as const)('%s: the same report as one run, however the families are shared', (stack) => {
    const manifests = distManifests(stack);
    const options = { spec: stackSpec(stack), schemas: TEST_SCHEMAS };
    const whole = runGate(manifests, options);
    expect(whole.waived.length).toBeGreaterThan(0);
    for (const helper of SHARES) expect(sharedReport(manifests, options, helper)).toEqual(whole);
  });

  it('misconfigured objects: every finding, in order, with its waivers and notes, as one run gives', () => {
    const dir = join(REPO_ROOT, 'test', 'policy', 'misconfigurations');
    const files = readdirSync(dir).map((f) => join(dir, f));
    const manifests = loadManifests(files);
    const options = { schemas: TEST_SCHEMAS };
    const whole = runGate(manifests, options);
    expect(whole.findings.length).toBeGreaterThan(files.length - 1);
    // Without an environment the cross-layer families are skipped, with the same notes.
    expect(whole.notes.some((n) => n.includes('rules skipped'))).toBe(true);
    for (const helper of SHARES) expect(sharedReport(manifests, options, helper)).toEqual(whole);
  });

  it('names the objects of a rendered stack as the in-process gate does', () => {
    const manifests = renderedManifests('staging', [
      { name: 'a.yaml', objects: [{ kind: 'A' }, { kind: 'B' }] },
      { name: 'b.yaml', objects: [{ kind: 'C' }] },
    ]);
    expect(manifests.map((m) => [m.file, m.document])).toEqual([
      ['dist/staging/a.yaml', 0],
      ['dist/staging/a.yaml', 1],
      ['dist/staging/b.yaml', 0],
    ]);
  });

  it('refuses a delegated finding about an object the run does not have', () => {
    const manifests = distManifests('staging');
    const stray: PlacedFinding = {
      file: 'dist/staging/namespaces.yaml',
      document: 9999,
      family: 0,
      violation: { rule: 'schema.invalid', path: [], message: 'x', fix: 'y' },
    };
    expect(() =>
      runGate(manifests, { schemas: TEST_SCHEMAS, delegated: { families: ['schema'], findings: [stray] } }),
    ).toThrow('internal: a delegated finding names dist/staging/namespaces.yaml document 9999, not in this run');
  });
});
