import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { PolicyGateValidation, type PluginContext } from '../../policy/cdk8s-plugin';
import { find, platform, TEST_SCHEMAS, type Obj } from './fixtures';
import { REPO_ROOT, stackSpec } from '../support/environments';

function context(manifests: string[]) {
  const violations: Parameters<PluginContext['report']['addViolation']>[0][] = [];
  const logs: string[] = [];
  let status: string | undefined;
  let metadata: Record<string, string> | undefined;
  const ctx: PluginContext = {
    manifests,
    logger: { log: (m) => logs.push(m) },
    report: {
      addViolation: (v) => violations.push(v),
      submit: (s, m) => {
        status = s;
        metadata = m;
      },
    },
  };
  return { ctx, violations, logs, result: () => ({ status, metadata }) };
}

/** A dist/ as the synth pipeline writes it: dist/<stack>/*.yaml plus index.json. */
function dist(objects: Obj[]): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'plugin-'));
  mkdirSync(join(dir, 'dist', 'staging'), { recursive: true });
  const file = join(dir, 'dist', 'staging', 'platform.yaml');
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  writeFileSync(
    join(dir, 'dist', 'staging', 'index.json'),
    JSON.stringify({ stack: 'staging', kubernetesVersion: '1.31' }),
  );
  return { dir, file };
}

const plugin = (props: Record<string, unknown> = {}) =>
  new PolicyGateValidation({
    root: REPO_ROOT,
    schemas: TEST_SCHEMAS.schemaLocations,
    crds: TEST_SCHEMAS.crdLocations,
    ...props,
  });

describe('cdk8s validation plugin', () => {
  const spec = stackSpec('staging');

  it('judges the manifests cdk8s hands over, per stack with its stack file, and succeeds when clean', async () => {
    const { file } = dist(platform(spec));
    const c = context([file]);
    await plugin().validate(c.ctx);
    expect(c.violations).toEqual([]);
    expect(c.result()).toEqual({
      status: 'success',
      metadata: { stacks: 'staging', errors: '0', warnings: '0', waived: '0' },
    });
    expect(c.logs[0]).toMatch(/^policy gate \(staging\): 0 errors/);
  });

  it('reports each error finding as a violation and fails', async () => {
    const objects = platform(spec);
    find(objects, 'Deployment', 'api').spec.template.spec.containers[0].securityContext.privileged = true;
    const { file } = dist(objects);
    const c = context([file]);
    await plugin().validate(c.ctx);
    expect(c.result().status).toBe('failure');
    expect(c.violations).toContainEqual({
      ruleName: 'pss.privileged (error)',
      recommendation: expect.stringContaining('container "api" is privileged, forbidden at baseline'),
      fix: 'set securityContext.privileged to false or remove it',
      violatingResources: [
        {
          resourceName: 'Deployment lobstack-control-plane/api',
          locations: [
            expect.stringMatching(/^spec\.template\.spec\.containers\[0\]\.securityContext\.privileged \(line \d+\)$/),
          ],
          manifestPath: file,
        },
      ],
    });
  });

  it('judges distDir when cdk8s hands over nothing (synth --stdout)', async () => {
    const { dir } = dist(platform(spec));
    const c = context([]);
    await plugin({ distDir: join(dir, 'dist') }).validate(c.ctx);
    expect(c.logs[0]).toContain('cdk8s passed no manifests; judging');
    expect(c.result().status).toBe('success');
  });

  it('fails with one violation when the input is unusable', async () => {
    const c = context([]);
    await plugin({ distDir: '/nonexistent/dist' }).validate(c.ctx);
    expect(c.result().status).toBe('failure');
    expect(c.violations[0]).toMatchObject({
      ruleName: 'policy.input',
      recommendation: expect.stringContaining('/nonexistent/dist does not exist'),
    });
  });
});
