/**
 * Risk flags the manifest diff raises beyond object fields: version changes recorded
 * in dist/<stack>/index.json (Kubernetes minor, k3s patch, gVisor) with the upgrade
 * order, a NetworkPolicy removed, and a policy waiver added.
 */
import { stringify } from 'yaml';
import { diffStack, diffStacks } from '../../tools/diff/compare';
import { renderDiffMarkdown } from '../../tools/diff/markdown';
import { addManifests, type JsonObject, type ObjectSet } from '../../tools/diff/objects';
import { versionRisks, versionsOfIndex } from '../../tools/diff/version-risks';
import { withVersionRisks } from '../../tools/diff';

function set(...objects: JsonObject[]): ObjectSet {
  const out: ObjectSet = new Map();
  addManifests(out, 'x.yaml', objects.map((o) => stringify(o)).join('---\n'));
  return out;
}

const index = (fields: Record<string, string>) => JSON.stringify({ stack: 'staging', ...fields });

describe('version risks from index.json', () => {
  it('flags a minor bump that skips minors, naming the minor to deploy first and the upgrade order', () => {
    expect(
      versionRisks(
        versionsOfIndex(index({ kubernetesVersion: '1.31', k3sVersion: 'v1.31.14+k3s1' })),
        versionsOfIndex(index({ kubernetesVersion: '1.34', k3sVersion: 'v1.34.2+k3s1' })),
      ),
    ).toEqual([
      'Kubernetes minor 1.31 → 1.34: skips 1.32, 1.33: Kubernetes upgrades one minor at a time, deploy 1.32 first; upgrade order: k3s servers one at a time, then each worker pool node by node (cordon, drain honouring PDBs); add-ons must support both minors during the step',
      'k3s v1.31.14+k3s1 → v1.34.2+k3s1: new and autoscaled nodes boot it; running nodes keep the old release until upgraded in place (servers one at a time, then agents) or replaced one node at a time (cloud-init runs only at first boot)',
    ]);
  });

  it('flags a k3s patch change as a Kubernetes patch change, a gVisor bump, an EKS minor step and a downgrade', () => {
    const [patch, gvisor] = versionRisks(
      { kubernetesVersion: '1.34', k3sVersion: 'v1.34.1+k3s1', gvisorVersion: '20251110.0' },
      { kubernetesVersion: '1.34', k3sVersion: 'v1.34.2+k3s1', gvisorVersion: '20260105.0' },
    );
    expect(patch).toMatch(/^k3s v1\.34\.1\+k3s1 → v1\.34\.2\+k3s1 \(a Kubernetes patch change\): /);
    expect(gvisor).toBe(
      'gVisor 20251110.0 → 20260105.0: new gVisor nodes install it; running ones keep 20251110.0 until replaced, and the sessions on a node restart when it is drained',
    );
    expect(versionRisks({ kubernetesVersion: '1.33' }, { kubernetesVersion: '1.34' })).toEqual([
      'Kubernetes minor 1.33 → 1.34: upgrade order: the EKS control plane first, then each managed node group (rolling, drained), then the EKS add-ons; add-ons must support both minors during the step',
    ]);
    expect(versionRisks({ kubernetesVersion: '1.34' }, { kubernetesVersion: '1.31' })[0]).toMatch(
      /^Kubernetes 1\.34 → 1\.31 is a downgrade/,
    );
    expect(versionRisks({ kubernetesVersion: '1.34' }, { kubernetesVersion: '1.34' })).toEqual([]);
  });

  it('shows a version change in the diff even when no manifest changed', () => {
    const objects = set({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } });
    const report = withVersionRisks(
      diffStacks(new Map([['staging', objects]]), new Map([['staging', objects]])),
      () => index({ kubernetesVersion: '1.34', k3sVersion: 'v1.34.1+k3s1' }),
      () => index({ kubernetesVersion: '1.34', k3sVersion: 'v1.34.2+k3s1' }),
    );
    const markdown = renderDiffMarkdown(report, { base: 'main', head: 'working tree' });
    expect(markdown).toContain('**1 risk flag** across `staging`');
    expect(markdown).toContain('- ⚠️ **Kubernetes or node runtime version changed** (1)');
    expect(markdown).toContain(
      '  - index.json of dist/staging: k3s v1.34.1+k3s1 → v1.34.2+k3s1 (a Kubernetes patch change)',
    );
  });
});

describe('policy and waiver risks', () => {
  const pod = (annotations: Record<string, string>): JsonObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'cp', annotations },
    spec: {},
  });

  it('flags a waiver added to an object, with its rule and reason, and not one that was already there', () => {
    const before = set(pod({ 'policy.agent-platform.io/waive.hygiene/probes': 'old' }));
    const after = set(
      pod({
        'policy.agent-platform.io/waive.hygiene/probes': 'old',
        'policy.agent-platform.io/waive.pss/run-as-non-root': 'vendor image runs as root',
      }),
    );
    expect(diffStack('s', before, after).risks).toEqual([
      {
        category: 'waiver-added',
        object: 'Deployment cp/api',
        message: 'waives rule pss/run-as-non-root: "vendor image runs as root"',
      },
    ]);
  });

  it('flags a removed NetworkPolicy', () => {
    const policy: JsonObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: 'cp' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    };
    expect(diffStack('s', set(policy), new Map()).risks).toEqual([
      {
        category: 'network-policy-loosened',
        object: 'NetworkPolicy cp/default-deny',
        message: 'policy deleted: the pods it selected lose the isolation it gave',
      },
    ]);
  });
});
