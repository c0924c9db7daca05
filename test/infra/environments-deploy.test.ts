/**
 * Every environment of the repository deploys under Pulumi's mocks: the stack files
 * at the root with their committed dist/, and every example rendered into a temporary
 * dist/ by synth, each through the real program (definePlatform with the real cloud
 * module, nothing injected; credentials are secret placeholders, as in the offline plan). Each must register its cluster, every enabled add-on's
 * release, and one manifest group per dist/ file holding that file's exact text.
 * Environments are discovered from the files: a new stack or example is covered as is.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../../charts-src/synthesize';
import { addonCatalogue } from '../../infra/addons/catalogue';
import { recordProgram, type PlannedResource } from '../../tools/plan/record';
import { platformProgram } from '../../tools/plan/program';
import { OFFLINE_OUTPUTS, offlineCalls } from '../../tools/plan/offline';
import { HELM_RELEASE, releaseOf } from '../support/addon-releases';
import { environmentFiles, specOf, type EnvironmentFile } from '../support/all-environments';
import { REPO_ROOT } from '../support/environments';

// Each environment runs its cloud module under mocks (a few seconds each on a loaded 2-core machine).
jest.setTimeout(120_000);

const CLUSTER_COMPONENT = { hcloud: 'agent-platform:hcloud:HcloudCluster', aws: 'agent-platform:aws:EksCluster' };
const CONFIG_GROUP = 'kubernetes:yaml/v2:ConfigGroup';

/** The folder whose dist/ the environment deploys: the repository, or a fresh synth of the example. */
function rootOf(env: EnvironmentFile): string {
  if (!env.example) return REPO_ROOT;
  const root = mkdtempSync(join(tmpdir(), `deploy-${env.stack}-`));
  synthesize({ root: env.root, outDir: join(root, 'dist') });
  return root;
}

/** The real program with secret placeholders for its credentials, as the offline plan runs it. */
async function deploy(env: EnvironmentFile, root: string): Promise<PlannedResource[]> {
  const spec = specOf(env);
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // jest source-maps Pulumi's per-resource stack traces: ~50 ms each
  try {
    return await recordProgram(() => platformProgram(root)(spec), {
      stack: spec.stack,
      calls: offlineCalls(spec),
      outputs: OFFLINE_OUTPUTS,
    });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

describe.each(environmentFiles().map((e) => [e.shown, e] as const))('%s deploys under mocks', (_shown, env) => {
  let distDir: string;
  let resources: PlannedResource[];
  beforeAll(async () => {
    const root = rootOf(env);
    distDir = join(root, 'dist');
    resources = await deploy(env, root);
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
