import { find, findingsOf, gate, platform, type Obj } from '../fixtures';
import { stackSpec } from '../../support/environments';

const spec = stackSpec('staging');
const base = platform(spec);
const fresh = (): Obj[] => structuredClone(base);
const cross = (objects: Obj[]) => gate(objects, { families: ['cross-layer'], spec });
const warmPool = (objects: Obj[]) => find(objects, 'Deployment', 'agent-warm-pool');

describe('cross-layer rules', () => {
  it('the compliant platform has no findings', () => {
    expect(cross(fresh()).findings).toEqual([]);
  });

  it('are skipped, and say so, without an environment', () => {
    const report = gate(fresh(), { families: ['cross-layer'], kubernetesVersion: '1.31' });
    expect(report.findings).toEqual([]);
    expect(report.notes).toContain('cross-layer rules skipped: they need the environment (--stack <name>)');
  });

  it('cross.scheduling: pods that no pool admits, with the reason per pool', () => {
    const objects = fresh();
    // Without the RuntimeClass, whose scheduling would add the toleration.
    delete warmPool(objects).spec.template.spec.runtimeClassName;
    warmPool(objects).spec.template.spec.tolerations = [];
    const [f] = findingsOf(cross(objects), 'cross.scheduling');
    expect(f).toMatchObject({ object: { kind: 'Deployment', name: 'agent-warm-pool' } });
    expect(f!.message).toBe(
      'pods can land on no node pool of staging: control-plane: nodeSelector agent-platform.io/pool=agents (nodes have agent-platform.io/pool=control-plane); api: nodeSelector agent-platform.io/pool=agents (nodes have agent-platform.io/pool=api); agents: taint agent-platform.io/dedicated=agents:NoSchedule is not tolerated',
    );
  });

  it('cross.scheduling: the RuntimeClass scheduling and handler count', () => {
    const objects = fresh();
    const pod = warmPool(objects).spec.template.spec;
    delete pod.nodeSelector;
    delete pod.tolerations;
    // The gvisor RuntimeClass still carries the agent pool's nodeSelector and toleration.
    expect(findingsOf(cross(objects), 'cross.scheduling')).toEqual([]);
    find(objects, 'RuntimeClass', 'gvisor').scheduling = undefined;
    const [f] = findingsOf(cross(objects), 'cross.scheduling');
    expect(f!.message).toContain('api: it needs the gVisor runtime (runsc), which the pool does not have');
  });

  it('cross.scheduling: required node affinity is matched against pool labels', () => {
    const objects = fresh();
    find(objects, 'Deployment', 'api').spec.template.spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'agent-platform.io/role', operator: 'In', values: ['gpu'] }] },
          ],
        },
      },
    };
    expect(findingsOf(cross(objects), 'cross.scheduling')[0]?.message).toContain(
      'api: no required nodeAffinity term matches its node labels',
    );
  });

  it('cross.tainted-pool-unused: a tainted pool nothing runs on', () => {
    const objects = fresh().filter((o) => o.metadata.namespace !== 'lobstack-agents' || o.kind === 'ResourceQuota');
    const [f] = findingsOf(cross(objects), 'cross.tainted-pool-unused');
    expect(f).toMatchObject({
      object: { kind: 'Environment', name: 'staging' },
      file: 'Pulumi.staging.yaml',
      path: 'nodePools[2]',
    });
    expect(f!.message).toBe(
      'node pool "agents" is tainted (agent-platform.io/dedicated=agents:NoSchedule) but no pod template in the manifests tolerates it and selects it, 5 × 25.49 EUR/month idle',
    );
  });

  it('cross.quota-capacity: autoscaler max × per-pod requests (with the RuntimeClass overhead) over the quota', () => {
    const objects = fresh();
    find(objects, 'ScaledObject', 'agent-warm-pool').spec.maxReplicaCount = 150;
    const findings = findingsOf(cross(objects), 'cross.quota-capacity');
    const cpu = findings.find((f) => f.path === 'spec.hard["requests.cpu"]');
    expect(cpu!.message).toBe(
      'requests.cpu 80 in lobstack-agents admits less than the workloads can ask for at their maxima: PodTemplate agent-starter 40 (agents.sessions.starter = 40 sessions) × 350m + PodTemplate agent-standard 20 (agents.sessions.standard = 20 sessions) × 600m + PodTemplate agent-performance 5 (agents.sessions.performance = 5 sessions) × 1100m + PodTemplate agent-enterprise 2 (agents.sessions.enterprise = 2 sessions) × 2100m + Deployment agent-warm-pool 150 (ScaledObject max 150) × 350m = 88200m',
    );
    expect(findings.map((f) => f.path)).toContain('spec.hard.pods');
  });

  it('cross.pool-capacity: one pod larger than any node of its pool', () => {
    const objects = fresh();
    find(objects, 'PodTemplate', 'agent-enterprise').template.spec.containers[0].resources.requests.cpu = '12';
    const [f] = findingsOf(cross(objects), 'cross.pool-capacity');
    expect(f).toMatchObject({ object: { kind: 'PodTemplate', name: 'agent-enterprise' } });
    expect(f!.message).toMatch(
      /^one pod requests 12100m CPU \/ 4\.1Gi, more than a node of agents \(cpx42: 7910m \/ \d+(\.\d)?Gi allocatable after system reserve and DaemonSets\) offers$/,
    );
  });

  it('cross.pool-capacity: the pool at its maximum cannot host the maxima', () => {
    const objects = fresh();
    find(objects, 'HorizontalPodAutoscaler', 'api').spec.maxReplicas = 200;
    const f = findingsOf(cross(objects), 'cross.pool-capacity').find((x) => x.message.startsWith('pool "api"'));
    expect(f!.message).toContain('pool "api" at its max of 8 × cpx22 offers 15440m cpu');
    expect(f!.message).toContain(
      'Deployment lobstack-control-plane/api 200 (HorizontalPodAutoscaler max 200) × 250m = 50',
    );
  });

  it('cross.namespace-level: a namespace labelled looser than the model, and what it lets through', () => {
    const objects = fresh();
    const ns = find(objects, 'Namespace', 'lobstack-agents');
    ns.metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline';
    delete warmPool(objects).spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation;
    const findings = findingsOf(cross(objects), 'cross.namespace-level').map((f) => f.message);
    expect(findings).toEqual([
      'enforces baseline, but the environment model sets lobstack-agents to restricted',
      'container "agent": allowPrivilegeEscalation must be false at restricted, got unset (pss.privilege-escalation: the model\'s level for lobstack-agents is restricted)',
    ]);
  });

  it('cross.namespace-level: a namespace of the model the manifests lack', () => {
    const objects = fresh().filter((o) => !(o.kind === 'Namespace' && o.metadata.name === 'lobstack-team-support'));
    expect(findingsOf(cross(objects), 'cross.namespace-level')[0]?.message).toBe(
      'the environment model declares namespace lobstack-team-support (restricted), but the manifests do not create it',
    );
  });
});
