/**
 * Every environment of the repository deploys under Pulumi's mocks: the stack files
 * at the root with their committed dist/, and every example rendered into a temporary
 * dist/ by synth, each through the real program (definePlatform with the real cloud
 * module, nothing injected). Each must register its cluster, every enabled add-on's
 * release, and one manifest group per dist/ file holding that file's exact text.
 * Environments are discovered from the files: a new stack or example is covered as is.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { synthesize } from '../../charts-src/synthesize';
import { addonCatalogue } from '../../infra/addons/catalogue';
import { definePlatform } from '../../infra/program';
import { recordProgram, type PlannedResource } from '../../tools/plan/record';
import { OFFLINE_OUTPUTS, offlineCalls } from '../../tools/plan/run';
import { HELM_RELEASE, releaseOf } from '../support/addon-releases';
import { environmentFiles, specOf, type EnvironmentFile } from '../support/all-environments';
import { REPO_ROOT } from '../support/environments';

// Each environment runs its cloud module under mocks (a few seconds each on a loaded 2-core machine).
jest.setTimeout(120_000);

const CLUSTER_COMPONENT = { hcloud: 'agent-platform:hcloud:HcloudCluster', aws: 'agent-platform:aws:EksCluster' };
const CONFIG_GROUP = 'kubernetes:yaml/v2:ConfigGroup';

/** The dist root the environment deploys: the committed one, or a fresh synth of the example. */
function distRootOf(env: EnvironmentFile): string {
  if (!env.example) return join(REPO_ROOT, 'dist');
  const outDir = mkdtempSync(join(tmpdir(), `deploy-${env.stack}-`));
  synthesize({ root: env.root, outDir });
  return outDir;
}

async function deploy(env: EnvironmentFile, distDir: string): Promise<PlannedResource[]> {
  const spec = specOf(env);
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // jest source-maps Pulumi's per-resource stack traces: ~50 ms each
  try {
    return await recordProgram(
      () =>
        definePlatform(spec, {
          distDir,
          ...(spec.cloud.provider === 'hcloud' ? { hcloudToken: pulumi.secret('test-token') } : {}),
        }),
      { stack: spec.stack, calls: offlineCalls(spec), outputs: OFFLINE_OUTPUTS },
    );
  } finally {
    Error.stackTraceLimit = limit;
  }
}

describe.each(environmentFiles().map((e) => [e.shown, e] as const))('%s deploys under mocks', (_shown, env) => {
  let distDir: string;
  let resources: PlannedResource[];
  beforeAll(async () => {
    distDir = distRootOf(env);
    resources = await deploy(env, distDir);
  });

  it('registers its cluster with the cloud module of its provider', () => {
    const spec = specOf(env);
    const clusters = resources.filter((r) => r.type === CLUSTER_COMPONENT[spec.cloud.provider]);
    expect(clusters.map((c) => c.name)).toEqual([spec.name]);
  });

  it('installs every enabled add-on at its pinned chart version', () => {
    const expected = addonCatalogue(specOf(env))
      .filter((e) => e.enabled)
      .map((e) => `${e.release} ${e.chart} ${e.version} ${e.namespace}`)
      .sort();
    const installed = resources
      .filter((r) => r.type === HELM_RELEASE)
      .map(releaseOf)
      .map((r) => `${r.name} ${r.chart} ${r.version} ${r.namespace}`)
      .sort();
    expect(installed).toEqual(expected);
  });

  it('applies every dist/ file of the stack, byte for byte, as one manifest group', () => {
    const index = JSON.parse(readFileSync(join(distDir, env.stack, 'index.json'), 'utf8')) as {
      files: { file: string }[];
    };
    const groups = resources.filter((r) => r.type === CONFIG_GROUP);
    const applied = new Map(groups.map((g) => [g.name, g.inputs.yaml]));
    const name = specOf(env).name;
    expect(groups).toHaveLength(index.files.length);
    for (const { file } of index.files) {
      const stem = file.replace(/\.yaml$/, '');
      const group = file === 'namespaces.yaml' ? `${name}-namespaces-${stem}` : `${name}-manifests-${stem}`;
      expect({ file, yaml: applied.get(group) }).toEqual({
        file,
        yaml: readFileSync(join(distDir, env.stack, file), 'utf8'),
      });
    }
  });
});
