/**
 * The agent pod policy, evaluated with a real CEL evaluator on pods as they reach
 * validating admission: every tier's session pod and the warm pool's pods are admitted,
 * in every environment that runs agents; each escape is denied with its message.
 */
import { admit } from '../../support/admission-cel';
import { agentAdmissionFixture, podCreate, type AgentAdmissionFixture } from '../../support/agent-admission';
import { stackSpec } from '../../support/environments';
import { exampleSpec } from '../../support/examples';
import type { Any } from '../../support/render';
import { replicaSetPod, stampSession } from '../../support/runtime-pods';

const templatesOf = (f: AgentAdmissionFixture) =>
  f.objects.filter((o) => o.kind === 'PodTemplate' && o.metadata.namespace === f.agentsNamespace);

const environments: [string, () => AgentAdmissionFixture][] = [
  ['staging', () => agentAdmissionFixture(stackSpec('staging'))],
  ['prod', () => agentAdmissionFixture(stackSpec('prod'))],
  ['examples/stella (no Vault)', () => agentAdmissionFixture(exampleSpec('stella'))],
  ['examples/lobstack-aws', () => agentAdmissionFixture(exampleSpec('lobstack-aws'))],
];

describe.each(environments)('agent pods in %s', (_name, fixture) => {
  const f = fixture();

  it('admits the session pod of every tier, stamped from its PodTemplate', () => {
    const templates = templatesOf(f);
    expect(templates.map((t) => t.metadata.labels['agent-platform.io/tier']).sort()).toEqual(
      Object.keys(f.spec.agents!.tiers).sort(),
    );
    for (const template of templates) {
      const result = admit(f.objects, podCreate(f, stampSession(template, 'a1b2c3')));
      expect(result.denials).toEqual([]);
      expect(result.judgedBy).toContain('agent-pods');
    }
  });

  it('admits the warm pool pods the ReplicaSet creates', () => {
    const deployments = f.objects.filter((o) => o.kind === 'Deployment' && o.metadata.namespace === f.agentsNamespace);
    for (const d of deployments) {
      const result = admit(
        f.objects,
        podCreate(f, replicaSetPod(d), 'system:serviceaccount:kube-system:replicaset-controller'),
      );
      expect(result.denials).toEqual([]);
    }
  });
});

describe('escapes of a runtime-created agent pod (staging)', () => {
  const f = agentAdmissionFixture(stackSpec('staging'));
  const starter = templatesOf(f).find((t) => t.metadata.name === 'agent-starter')!;
  const standard = f.spec.agents!.tiers.standard!;
  const good = () => stampSession(starter, 's1');
  const agent = (pod: Any) => pod.spec.containers[0];

  const escapes: [string, (pod: Any) => void, string][] = [
    ['no runtimeClassName (runc on the host kernel)', (p) => delete p.spec.runtimeClassName, 'gVisor sandbox'],
    ['runtimeClassName runc', (p) => (p.spec.runtimeClassName = 'runc'), 'gVisor sandbox'],
    ['nodeName on a k3s server', (p) => (p.spec.nodeName = 'lobstack-control-plane-1'), 'never set spec.nodeName'],
    [
      'nodeSelector pinning one host',
      (p) => (p.spec.nodeSelector = { 'kubernetes.io/hostname': 'lobstack-agents-3' }),
      'select exactly the agent pool',
    ],
    [
      'toleration of CriticalAddonsOnly (the servers)',
      (p) => (p.spec.tolerations = [{ key: 'CriticalAddonsOnly', operator: 'Exists' }]),
      'tolerate only',
    ],
    ['toleration of every taint', (p) => (p.spec.tolerations = [{ operator: 'Exists' }]), 'tolerate only'],
    [
      'toleration of another dedicated pool',
      (p) => (p.spec.tolerations = [{ key: 'agent-platform.io/dedicated', operator: 'Exists', effect: 'NoSchedule' }]),
      'tolerate only',
    ],
    [
      'not-ready toleration with another effect',
      (p) => (p.spec.tolerations = [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }]),
      'tolerate only',
    ],
    [
      'priority system-node-critical (preempts the API)',
      (p) => (p.spec.priorityClassName = 'system-node-critical'),
      'PriorityClass "agent"',
    ],
    ['priority platform-critical', (p) => (p.spec.priorityClassName = 'platform-critical'), 'PriorityClass "agent"'],
    ['no priority class', (p) => delete p.spec.priorityClassName, 'PriorityClass "agent"'],
    ['the default ServiceAccount', (p) => delete p.spec.serviceAccountName, 'ServiceAccount "agent"'],
    ['another ServiceAccount', (p) => (p.spec.serviceAccountName = 'keda-operator'), 'ServiceAccount "agent"'],
    ['token automount on', (p) => (p.spec.automountServiceAccountToken = true), 'automountServiceAccountToken: false'],
    [
      'token automount unset (the token volume is added)',
      (p) => delete p.spec.automountServiceAccountToken,
      'automountServiceAccountToken: false',
    ],
    [
      'a projected Kubernetes API token',
      (p) =>
        p.spec.volumes.push({ name: 'kube', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }),
      'project a ServiceAccount token only with audience',
    ],
    ['an image from Docker Hub', (p) => (agent(p).image = 'ubuntu:22.04'), 'allowed registry'],
    [
      'an image from a look-alike registry path',
      (p) => (agent(p).image = 'ghcr.io/lobstack-evil/agent:1.0.0'),
      'allowed registry',
    ],
    [
      'an image from a look-alike host',
      (p) => (agent(p).image = 'ghcr.io.evil.example/lobstack/agent:1.0.0'),
      'allowed registry',
    ],
    [
      'an init container from elsewhere',
      (p) => (p.spec.initContainers = [{ name: 'x', image: 'quay.io/evil/x:1', resources: agent(p).resources }]),
      'allowed registry',
    ],
    [
      'an ephemeral container from elsewhere',
      (p) => (p.spec.ephemeralContainers = [{ name: 'dbg', image: 'busybox:1.36' }]),
      'allowed registry',
    ],
    [
      'the Vault agent image swapped by annotation',
      (p) => (p.metadata.annotations['vault.hashicorp.com/agent-image'] = 'docker.io/evil/vault:1.20.4'),
      'allowed registry',
    ],
    ['a second container', (p) => p.spec.containers.push({ ...agent(p), name: 'miner' }), 'one container'],
    ['limits above the tier', (p) => (agent(p).resources.limits.cpu = '16'), 'exactly those of its tier'],
    [
      "another tier's resources under the starter label",
      (p) => (agent(p).resources = structuredClone({ requests: standard.requests, limits: standard.limits })),
      'exactly those of its tier',
    ],
    ['no requests', (p) => delete agent(p).resources.requests, 'exactly those of its tier'],
    ['a GPU', (p) => (agent(p).resources.limits['nvidia.com/gpu'] = '1'), 'exactly those of its tier'],
    [
      'an init container larger than the tier',
      (p) =>
        (p.spec.initContainers = [
          {
            name: 'warm',
            image: agent(p).image,
            resources: { requests: { cpu: '8', memory: '16Gi' }, limits: { cpu: '8', memory: '16Gi' } },
          },
        ]),
      'init containers of agent pods',
    ],
    ['no tier label', (p) => delete p.metadata.labels['agent-platform.io/tier'], 'a tier of this environment'],
    [
      'an unknown tier',
      (p) => (p.metadata.labels['agent-platform.io/tier'] = 'platinum'),
      'a tier of this environment',
    ],
    [
      'neither session nor warm-pool label',
      (p) => delete p.metadata.labels['agent-platform.io/session'],
      'either the label',
    ],
    [
      'both session and warm-pool labels',
      (p) => (p.metadata.labels['agent-platform.io/warm-pool'] = 'true'),
      'either the label',
    ],
    ['an emptyDir without sizeLimit', (p) => p.spec.volumes.push({ name: 'scratch', emptyDir: {} }), 'every emptyDir'],
    [
      "a workspace larger than the tier's",
      (p) => (p.spec.volumes.find((v: Any) => v.name === 'workspace').emptyDir.sizeLimit = '6Gi'),
      'every emptyDir',
    ],
    [
      'an in-memory emptyDir without sizeLimit',
      (p) => p.spec.volumes.push({ name: 'ram', emptyDir: { medium: 'Memory' } }),
      'every emptyDir',
    ],
    [
      'a volume of the KEDA database Secret',
      (p) => p.spec.volumes.push({ name: 'db', secret: { secretName: 'agent-db-connection' } }),
      'read no Secret but their own',
    ],
    [
      'another Secret by envFrom',
      (p) => agent(p).envFrom.push({ secretRef: { name: 'api-database' } }),
      'read no Secret but their own',
    ],
    [
      "another session's Secret by secretKeyRef",
      (p) => agent(p).env.push({ name: 'T', valueFrom: { secretKeyRef: { name: 'agent-session-s2', key: 'token' } } }),
      'read no Secret but their own',
    ],
    [
      // The injector adds the vault-ca volume for its own containers (vault.hashicorp.com/tls-secret).
      "the agent container mounting the Vault injector's CA volume",
      (p) =>
        (agent(p).volumeMounts = [...(agent(p).volumeMounts ?? []), { name: 'vault-tls-secrets', mountPath: '/x' }]),
      'read no Secret but their own',
    ],
    [
      'the vault-ca Secret under another volume name',
      (p) => p.spec.volumes.push({ name: 'ca', secret: { secretName: 'vault-ca' } }),
      'read no Secret but their own',
    ],
    [
      'a projected Secret',
      (p) => p.spec.volumes.push({ name: 'p', projected: { sources: [{ secret: { name: 'agent-db-connection' } }] } }),
      'read no Secret but their own',
    ],
    [
      'a DRA device claim',
      (p) => (p.spec.resourceClaims = [{ name: 'gpu', resourceClaimTemplateName: 'gpu' }]),
      'claim no devices',
    ],
    [
      'a decimal workspace just above the tier',
      (p) => (p.spec.volumes.find((v: Any) => v.name === 'workspace').emptyDir.sizeLimit = '5400M'),
      'every emptyDir',
    ],
  ];

  it('has a corpus of at least 30 escapes', () => {
    expect(escapes.length).toBeGreaterThanOrEqual(30);
  });

  it.each(escapes)('denies %s', (_name, mutate, message) => {
    const pod = good();
    mutate(pod);
    const result = admit(f.objects, podCreate(f, pod));
    expect(result.allowed).toBe(false);
    expect(result.denials.map((d) => d.message).join('\n')).toContain(message);
    // Every denial is a clean false, never an evaluation error.
    expect(result.denials.filter((d) => d.error !== undefined)).toEqual([]);
  });

  it('denies a Secret to a warm-pool pod (it has no session yet)', () => {
    const warm = f.objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === f.agentsNamespace);
    const pod = replicaSetPod(warm);
    pod.spec.containers[0].envFrom = [{ secretRef: { name: 'agent-session-' } }];
    expect(
      admit(f.objects, podCreate(f, pod))
        .denials.map((d) => d.message)
        .join(),
    ).toContain('read no Secret but their own');
  });

  it('admits a smaller workspace written in decimal units', () => {
    const pod = good();
    pod.spec.volumes.find((v: Any) => v.name === 'workspace').emptyDir.sizeLimit = '5G';
    expect(admit(f.objects, podCreate(f, pod)).denials).toEqual([]);
  });

  it('admits resources written in another form of the same quantity (the API server canonicalizes)', () => {
    const pod = good();
    agent(pod).resources.limits.cpu = '1000m';
    agent(pod).resources.requests.memory = '0.5Gi';
    expect(admit(f.objects, podCreate(f, pod)).denials).toEqual([]);
  });

  it('is judged whoever creates the pod', () => {
    const pod = good();
    delete pod.spec.runtimeClassName;
    const result = admit(f.objects, podCreate(f, pod, 'kubernetes-admin'));
    expect(result.allowed).toBe(false);
  });

  it('does not judge pods in other namespaces', () => {
    const pod = good();
    pod.metadata.namespace = 'lobstack-team-research';
    delete pod.spec.runtimeClassName;
    expect(admit(f.objects, podCreate(f, pod)).judgedBy).not.toContain('agent-pods');
  });
});
