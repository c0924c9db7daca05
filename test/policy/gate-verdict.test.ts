/**
 * `npx cdk8s synth` gates once: the synth records its verdict next to the files it
 * hands to cdk8s, and the validation plugin reuses it while the bytes match. Also: a
 * clean synth reports no waiver as a warning (they are in the report).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../../charts-src/synthesize';
import { PolicyGateValidation, type PluginContext } from '../../policy/cdk8s-plugin';
import { gateVerdict, GATE_VERDICT_FILE, recordedVerdict } from '../../policy/gate-verdict';
import type { GateReport } from '../../policy/runner';
import { REPO_ROOT } from '../support/environments';
import { TEST_SCHEMAS } from './fixtures';

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n';
const report: GateReport = {
  kubernetesVersion: '1.31',
  stack: 'staging',
  objects: 424242,
  findings: [],
  waived: [],
  waivers: [],
  notes: [],
  errors: 0,
  warnings: 0,
  passed: true,
};

function handedOver(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-'));
  const file = join(dir, 'namespaces.yaml');
  writeFileSync(file, NAMESPACE);
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ stack: 'staging', kubernetesVersion: '1.31' }));
  writeFileSync(join(dir, GATE_VERDICT_FILE), gateVerdict([{ name: 'namespaces.yaml', content: NAMESPACE }], report));
  return { dir, file };
}

describe('the gate verdict handed from synth to the cdk8s plugin', () => {
  it('is reused while every file has the recorded bytes, and dropped when one changed', () => {
    const { file } = handedOver();
    expect(recordedVerdict([file])).toEqual(report);
    writeFileSync(file, `${NAMESPACE}  labels: {}\n`);
    expect(recordedVerdict([file])).toBeUndefined();
  });

  it('makes the plugin report the synth verdict without judging again', async () => {
    const { file } = handedOver();
    const logs: string[] = [];
    let metadata: Record<string, string> | undefined;
    const context: PluginContext = {
      manifests: [file],
      logger: { log: (m) => logs.push(m) },
      report: { addViolation: () => undefined, submit: (_s, m) => (metadata = m) },
    };
    await new PolicyGateValidation({
      root: REPO_ROOT,
      schemas: TEST_SCHEMAS.schemaLocations,
      crds: TEST_SCHEMAS.crdLocations,
    }).validate(context);
    // 424242 objects: the recorded report, not a new judgement of a one-object file.
    expect(logs[0]).toMatch(/^policy gate \(staging\): 0 errors, 0 warnings, 0 waived findings in 424242 objects/);
    expect(metadata).toMatchObject({ stacks: 'staging', errors: '0' });
  });
});

describe('synth output on a clean run', () => {
  it('reports no waiver as a warning (the committed stacks carry waivers)', () => {
    const result = synthesize({ root: REPO_ROOT, check: true, schemas: TEST_SCHEMAS });
    expect(result.gate.some((r) => r.waived.length > 0)).toBe(true);
    expect(result.warnings.join('\n')).not.toMatch(/waive/);
  });
});

describe('synth progress', () => {
  it('tells each stack as it is rendered and judged', () => {
    const lines: string[] = [];
    const { stacks } = synthesize({
      root: REPO_ROOT,
      check: true,
      schemas: TEST_SCHEMAS,
      progress: (l) => lines.push(l),
    });
    const n = stacks.length;
    expect(lines).toEqual([
      ...stacks.map((s, i) => `rendered ${s.stack} (${i + 1}/${n})`),
      ...stacks.map((s, i) => `judged ${s.stack} (${i + 1}/${n})`),
    ]);
  });
});
