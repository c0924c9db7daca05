/**
 * What the orchestrator's credentials can still do once admission judges them: Services
 * stay ClusterIP, running pods change labels only, Secrets are its own session Secrets;
 * and cluster-wide Service exposure. Evaluated with a real CEL evaluator.
 */
import { admit } from '../../support/admission-cel';
import { agentAdmissionFixture, objectRequest } from '../../support/agent-admission';
import { stackSpec } from '../../support/environments';
import type { Any } from '../../support/render';
import { mutateLikeApiServer, replicaSetPod, stampSession } from '../../support/runtime-pods';

const f = agentAdmissionFixture(stackSpec('staging'));
const ns = f.agentsNamespace;

const service = (namespace: string, spec: Any): Any => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'agent-session-s1', namespace },
  spec: { selector: { 'agent-platform.io/session': 's1' }, ports: [{ port: 8080, targetPort: 8080 }], ...spec },
});
const createService = (namespace: string, spec: Any, user = f.orchestrator) =>
  admit(f.objects, objectRequest('CREATE', 'services', namespace, service(namespace, spec), null, user));
const messages = (r: { denials: readonly { message: string }[] }) => r.denials.map((d) => d.message).join('\n');

describe('Services', () => {
  it('admits the session ClusterIP Service', () => {
    expect(createService(ns, { type: 'ClusterIP' }).denials).toEqual([]);
    expect(createService(ns, {}).denials).toEqual([]);
  });

  it.each([
    ['NodePort', { type: 'NodePort' }, 'ClusterIP'],
    ['LoadBalancer', { type: 'LoadBalancer' }, 'ClusterIP'],
    ['ExternalName', { type: 'ExternalName', externalName: 'db.internal' }, 'ExternalName are not allowed'],
    ['externalIPs (CVE-2020-8554)', { type: 'ClusterIP', externalIPs: ['10.10.0.5'] }, 'externalIPs'],
  ])('denies a %s Service in the agents namespace', (_n, spec, message) => {
    const result = createService(ns, spec);
    expect(result.allowed).toBe(false);
    expect(messages(result)).toContain(message);
  });

  it('denies externalIPs in every namespace, for every user', () => {
    const result = createService('lobstack-team-research', { externalIPs: ['10.10.0.5'] }, 'alice');
    expect(messages(result)).toContain('CVE-2020-8554');
  });

  it('admits a LoadBalancer only in the ingress namespace', () => {
    expect(createService('lobstack-ingress', { type: 'LoadBalancer' }, 'system:admin').denials).toEqual([]);
    const elsewhere = createService('lobstack-team-research', { type: 'LoadBalancer' }, 'alice');
    expect(messages(elsewhere)).toContain('only in the ingress namespace "lobstack-ingress"');
    const nodePort = createService('lobstack-control-plane', { type: 'NodePort' }, 'system:admin');
    expect(nodePort.allowed).toBe(false);
  });
});

describe('updates of a running agent pod by the orchestrator', () => {
  const starter = f.objects.find((o) => o.kind === 'PodTemplate' && o.metadata.name === 'agent-starter');
  const running = () => {
    const pod = mutateLikeApiServer(stampSession(starter, 's1'), f.cluster);
    pod.spec.nodeName = 'lobstack-agents-2';
    return pod;
  };
  const update = (oldPod: Any, newPod: Any, user = f.orchestrator) =>
    admit(f.objects, objectRequest('UPDATE', 'pods', ns, newPod, oldPod, user));

  it('admits a change of labels and annotations', () => {
    const before = running();
    const after = structuredClone(before);
    after.metadata.annotations['agent-platform.io/last-seen'] = '2026-01-01T00:00:00Z';
    after.metadata.labels['agent-platform.io/owner'] = 'user-42';
    expect(update(before, after).denials).toEqual([]);
  });

  it('admits claiming a warm-pool pod (warm-pool label → session label)', () => {
    const warm = f.objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === ns);
    const before = mutateLikeApiServer(replicaSetPod(warm), f.cluster);
    const after = structuredClone(before);
    delete after.metadata.labels['agent-platform.io/warm-pool'];
    after.metadata.labels['agent-platform.io/session'] = 's9';
    expect(update(before, after).denials).toEqual([]);
  });

  it.each<[string, (p: Any) => void, string]>([
    ['swaps the image', (p) => (p.spec.containers[0].image = 'ghcr.io/lobstack/agent-runtime:6.6.6'), 'spec'],
    ['adds a toleration', (p) => p.spec.tolerations.push({ key: 'CriticalAddonsOnly', operator: 'Exists' }), 'spec'],
    ['changes the tier label', (p) => (p.metadata.labels['agent-platform.io/tier'] = 'enterprise'), 'tier'],
    ['drops the session label', (p) => delete p.metadata.labels['agent-platform.io/session'], 'session'],
  ])('denies an update that %s', (_n, change, message) => {
    const before = running();
    const after = structuredClone(before);
    change(after);
    const result = update(before, after);
    expect(result.allowed).toBe(false);
    expect(messages(result)).toContain(message);
  });

  it('leaves updates by other identities to RBAC', () => {
    const before = running();
    const after = structuredClone(before);
    after.spec.activeDeadlineSeconds = 60;
    expect(update(before, after, 'system:serviceaccount:kube-system:generic-garbage-collector').judgedBy).not.toContain(
      'agent-orchestrator-updates',
    );
  });
});

describe('Secrets of the orchestrator', () => {
  const secret = (name: string, type = 'Opaque'): Any => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: ns },
    type,
  });
  const request = (op: 'CREATE' | 'UPDATE' | 'DELETE', obj: Any | null, old: Any | null, user = f.orchestrator) =>
    admit(f.objects, objectRequest(op, 'secrets', ns, obj, old, user));

  it('admits creating and deleting a session Secret', () => {
    expect(request('CREATE', secret('agent-session-s1'), null).denials).toEqual([]);
    expect(request('DELETE', null, secret('agent-session-s1')).denials).toEqual([]);
  });

  it.each<[string, 'CREATE' | 'UPDATE' | 'DELETE', Any | null, Any | null, string]>([
    [
      'a ServiceAccount token Secret',
      'CREATE',
      secret('agent-session-s1', 'kubernetes.io/service-account-token'),
      null,
      'Opaque',
    ],
    ['a Secret outside the session name pattern', 'CREATE', secret('api-database'), null, 'only session Secrets'],
    ['deleting the KEDA database connection', 'DELETE', null, secret('agent-db-connection'), 'only session Secrets'],
    [
      "rewriting another session's Secret",
      'UPDATE',
      secret('agent-session-s2'),
      secret('agent-session-s2'),
      'never changes an existing Secret',
    ],
  ])('denies %s', (_n, op, obj, old, message) => {
    const result = request(op, obj, old);
    expect(result.allowed).toBe(false);
    expect(messages(result)).toContain(message);
  });

  it('does not judge the platform deployer creating the KEDA Secret', () => {
    expect(request('CREATE', secret('agent-db-connection'), null, 'system:admin').judgedBy).toEqual([]);
  });
});
