import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_UPGRADE_CONTROLLER, type EnvironmentSpec } from '../../../config';
import type { PlatformOutputs } from '../../../infra/program';
import { installMocks } from '../../support/pulumi-mocks';
import { parseRaw, SHARED_ROOT, stackSpec } from '../../support/environments';
import { awsRaw, committedFile, fakeCluster, namespacesYaml, writeDist } from '../support';

const mocks = installMocks();

async function platformOf(spec: EnvironmentSpec, distDir?: string): Promise<PlatformOutputs> {
  mocks.reset();
  const { definePlatform } = await import('../../../infra/program');
  return definePlatform(spec, { cluster: fakeCluster(spec), ...(distDir ? { distDir } : {}) });
}

describe('system-upgrade-controller on Hetzner', () => {
  const spec = stackSpec('staging');
  let out: PlatformOutputs;
  beforeAll(async () => {
    out = await platformOf(spec);
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it('applies the pinned upstream release artifacts: the Plan CRD, then the controller', () => {
    const files = mocks.ofType('kubernetes:yaml/v2:ConfigFile');
    expect(files.map((f) => [f.name, f.inputs.file])).toEqual([
      [
        'lobstack-system-upgrade-crd',
        'https://github.com/rancher/system-upgrade-controller/releases/download/v0.20.1/crd.yaml',
      ],
      [
        'lobstack-system-upgrade-controller',
        'https://github.com/rancher/system-upgrade-controller/releases/download/v0.20.1/system-upgrade-controller.yaml',
      ],
    ]);
    // The version whose manifests ../shared holds (the same files, read by the chart tests).
    expect(readdirSync(join(SHARED_ROOT, 'manifests', 'system-upgrade-controller'))).toContain(
      SYSTEM_UPGRADE_CONTROLLER.version,
    );
    expect(existsSync(join(SHARED_ROOT, 'crds', 'upgrade.cattle.io_plans.yaml'))).toBe(true);
  });

  it('installs after namespaces.yaml (which creates system-upgrade), before the Plans of upgrades.yaml', () => {
    expect(out.upgrades).toBeDefined();
    expect(out.upgrades!.waitsFor).toContain(out.namespaces);
    expect(out.manifests.waitsFor['upgrades.yaml']).toContain(out.upgrades);
    // Files without Plans do not wait for it.
    expect(out.manifests.waitsFor['guardrails.yaml']).not.toContain(out.upgrades);
    expect(committedFile('staging', 'upgrades.yaml')).toContain('kind: Plan');
  });
});

describe('Plans on EKS', () => {
  it('are refused before anything is registered: no controller runs them there', async () => {
    const spec = parseRaw(awsRaw(), 'staging');
    const plan = 'apiVersion: upgrade.cattle.io/v1\nkind: Plan\nmetadata:\n  name: k3s-server\n  namespace: default\n';
    const distDir = writeDist(spec, [
      { name: 'namespaces.yaml', content: namespacesYaml(spec) },
      { name: 'upgrades.yaml', content: plan },
    ]);
    await expect(platformOf(spec, distDir)).rejects.toThrow(
      'dist/staging/upgrades.yaml uses API group "upgrade.cattle.io" (Plan k3s-server) but no enabled add-on installs its CRDs',
    );
  });
});
