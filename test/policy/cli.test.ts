import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runCli } from '../../policy/cli';
import { find, platform, TEST_SCHEMAS, type Obj } from './fixtures';
import { REPO_ROOT, stackSpec } from '../support/environments';

const spec = stackSpec('staging');
const schemaArgs = ['--schemas', TEST_SCHEMAS.schemaLocations[0]!, '--crds', TEST_SCHEMAS.crdLocations[0]!];

function cli(args: string[], cwd: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCli([...args, '--root', REPO_ROOT, ...schemaArgs], {
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
    cwd,
  });
  return { code, out, err };
}

function workspace(files: Record<string, Obj[] | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'check-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(
      join(dir, name),
      typeof content === 'string' ? content : content.map((o) => stringify(o)).join('---\n'),
    );
  }
  return dir;
}

describe('npm run check', () => {
  const clean = platform(spec);
  const broken = structuredClone(clean);
  find(broken, 'Deployment', 'api').spec.template.spec.hostNetwork = true;

  it('exit 0 on a clean set with --stack (cross-layer rules included)', () => {
    const dir = workspace({ 'manifests/platform.yaml': clean });
    const { code, out } = cli(['manifests', '--stack', 'staging'], dir);
    expect(out).toContain(`policy gate (staging): 0 errors, 0 warnings, 0 waived findings in ${clean.length} objects`);
    expect(out).not.toContain('skipped');
    expect(code).toBe(0);
  });

  it('exit 1 with error findings, naming file and line', () => {
    const dir = workspace({ 'platform.yaml': broken });
    const { code, out } = cli(['platform.yaml', '--stack', 'staging'], dir);
    expect(code).toBe(1);
    expect(out).toMatch(
      /ERROR \[pss\.host-namespaces\] Deployment lobstack-control-plane\/api\n {2}at {3}platform\.yaml:\d+ {2}spec\.template\.spec\.hostNetwork/,
    );
  });

  it('--format json: a machine-readable report', () => {
    const dir = workspace({ 'platform.yaml': broken });
    const { code, out } = cli(['.', '--format', 'json', '--kubernetes-version', '1.35'], dir);
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(json.passed).toBe(false);
    expect(json.reports).toHaveLength(1);
    expect(json.reports[0].notes).toContain('cross-layer rules skipped: they need the environment (--stack <name>)');
    expect(json.reports[0].findings).toContainEqual(
      expect.objectContaining({
        rule: 'pss.host-namespaces',
        file: 'platform.yaml',
        path: 'spec.template.spec.hostNetwork',
      }),
    );
  });

  it('exit 2 for a missing file', () => {
    const dir = workspace({});
    const { code, err } = cli(['nope.yaml'], dir);
    expect(code).toBe(2);
    expect(err).toBe(`check: no such file or directory: ${join(dir, 'nope.yaml')}\n`);
  });

  it('exit 2 for unparseable YAML, with file, line and column', () => {
    const dir = workspace({ 'bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n' });
    const { code, err } = cli(['bad.yaml'], dir);
    expect(code).toBe(2);
    expect(err).toMatch(/^check: bad\.yaml:\d+:\d+: invalid YAML: /);
  });

  it('exit 2 for a document that is no object, an unknown stack and bad options', () => {
    const dir = workspace({ 'list.yaml': '- a\n- b\n' });
    expect(cli(['list.yaml'], dir)).toMatchObject({
      code: 2,
      err: expect.stringContaining('is not a Kubernetes object'),
    });
    expect(cli(['list.yaml', '--stack', 'qa'], dir)).toMatchObject({
      code: 2,
      err: expect.stringContaining('--stack qa: no stack file'),
    });
    expect(cli(['list.yaml', '--format', 'xml'], dir).code).toBe(2);
  });

  it('judges each stack folder of a dist/ separately and picks the one --stack names', () => {
    const index = (stack: string) => JSON.stringify({ stack, kubernetesVersion: '1.31' });
    const dir = workspace({
      'dist/staging/platform.yaml': clean,
      'dist/staging/index.json': index('staging'),
      'dist/prod/platform.yaml': broken,
      'dist/prod/index.json': index('prod'),
    });
    const all = cli(['dist', '--format', 'json'], dir);
    expect(all.code).toBe(1);
    const json = JSON.parse(all.out);
    // Folders in name order: prod, then staging; each judged on its own (no duplicate objects across stacks).
    const rules = json.reports.map((r: { findings: { rule: string }[] }) => r.findings.map((f) => f.rule));
    expect(rules[0]).toContain('pss.host-namespaces');
    expect(rules[1]).not.toContain('pss.host-namespaces');
    expect([...rules[0], ...rules[1]]).not.toContain('schema.duplicate');
    expect(all.out).toContain('is the output of stack staging: add --stack staging for the cross-layer rules');
    const staging = cli(['dist', '--stack', 'staging'], dir);
    expect(staging.code).toBe(0);
    // index.json carries no environment digest here: nothing to compare.
    expect(staging.out).not.toContain('environment digest differs');
  });

  it('says when a dist/<stack> was rendered from a different stack file', () => {
    const dir = workspace({
      'dist/staging/platform.yaml': clean,
      'dist/staging/index.json': JSON.stringify({
        stack: 'staging',
        kubernetesVersion: '1.31',
        environmentDigest: 'f'.repeat(64),
      }),
    });
    expect(cli(['dist', '--stack', 'staging'], dir).out).toContain(
      'dist/staging was rendered from a different Pulumi.staging.yaml than the current one (environment digest differs): run npm run synth',
    );
  });

  it('without paths, judges every dist/<stack>/ of the root with its own stack file', () => {
    const dir = workspace({
      'dist/staging/platform.yaml': clean,
      'dist/staging/index.json': JSON.stringify({ stack: 'staging', kubernetesVersion: '1.31' }),
      'Pulumi.staging.yaml': readFileSync(join(REPO_ROOT, 'Pulumi.staging.yaml'), 'utf8'),
    });
    let out = '';
    const code = runCli(['--root', dir, ...schemaArgs], { out: (t) => (out += t), err: () => {}, cwd: dir });
    expect(out).toContain('policy gate (staging): 0 errors');
    expect(code).toBe(0);
  });
});
