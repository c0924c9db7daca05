import { find, findingsOf, gate, platform, type Obj } from '../fixtures';
import { stackSpec } from '../../support/environments';

const spec = stackSpec('staging');
const base = platform(spec);
const fresh = (): Obj[] => structuredClone(base);
/** With the environment: it declares the Secrets created out of band (the warm pool's database connection). */
const refs = (objects: Obj[], withSpec = true) =>
  gate(objects, { families: ['references'], ...(withSpec ? { spec } : { kubernetesVersion: '1.31' }) });
const messages = (objects: Obj[], rule: string) => findingsOf(refs(objects), rule).map((f) => f.message);

describe('references', () => {
  it('the compliant platform has no findings', () => {
    expect(refs(fresh()).findings).toEqual([]);
  });

  it('ref.selector: a Service, PDB or NetworkPolicy selector that selects no pod template', () => {
    const objects = fresh();
    find(objects, 'Service', 'api').spec.selector = { 'app.kubernetes.io/name': 'apii' };
    find(objects, 'PodDisruptionBudget', 'api').spec.selector.matchLabels = { app: 'api' };
    find(objects, 'NetworkPolicy', 'api-ingress').spec.podSelector.matchLabels = { app: 'api' };
    expect(messages(objects, 'ref.selector')).toEqual([
      'the Service selector {"app.kubernetes.io/name":"apii"} matches no pod template in namespace lobstack-control-plane',
      'the PDB selector {"matchLabels":{"app":"api"}} matches no pod template in namespace lobstack-control-plane',
      'podSelector {"matchLabels":{"app":"api"}} matches no pod template in namespace lobstack-control-plane',
    ]);
  });

  it('ref.selector: monitors select what they scrape', () => {
    const objects = fresh();
    find(objects, 'PodMonitor', 'agents').spec.selector.matchLabels = { 'agent-platform.io/agent': 'yes' };
    expect(messages(objects, 'ref.selector')[0]).toContain('the PodMonitor selector');
  });

  it('ref.scale-target: HPA, VPA and ScaledObject targets exist', () => {
    const objects = fresh();
    find(objects, 'HorizontalPodAutoscaler', 'api').spec.scaleTargetRef.name = 'api-v2';
    find(objects, 'ScaledObject', 'agent-warm-pool').spec.scaleTargetRef.name = 'warm';
    expect(messages(objects, 'ref.scale-target')).toEqual([
      'targets Deployment lobstack-control-plane/api-v2, which is not in the manifests',
      'targets Deployment lobstack-agents/warm, which is not in the manifests',
    ]);
  });

  it('ref.scale-target: a Deployment and its HPA, both without a namespace, are in the same one (default)', () => {
    const pair = fresh().filter(
      (o) => o.metadata.name === 'api' && /^(Deployment|HorizontalPodAutoscaler)$/.test(o.kind),
    );
    for (const o of pair) delete o.metadata.namespace;
    const [deployment, hpa] = [find(pair, 'Deployment', 'api'), find(pair, 'HorizontalPodAutoscaler', 'api')];
    expect(findingsOf(refs(pair, false), 'ref.scale-target')).toEqual([]);
    // The same pair is one workload and its autoscaler for the other rules too.
    deployment.spec.replicas = 2;
    expect(findingsOf(refs(pair, false), 'ref.autoscaled-replicas').map((f) => f.object.kind)).toEqual(['Deployment']);
    // A target that is missing is named in the namespace the HPA is in.
    hpa.spec.scaleTargetRef.name = 'apii';
    expect(findingsOf(refs(pair, false), 'ref.scale-target').map((f) => f.message)).toEqual([
      'targets Deployment default/apii, which is not in the manifests',
    ]);
  });

  it('ref.service-account, ref.priority-class, ref.runtime-class, ref.rbac', () => {
    const objects = fresh().filter((o) => !['RuntimeClass', 'PriorityClass', 'Role'].includes(o.kind));
    find(objects, 'Deployment', 'api').spec.template.spec.serviceAccountName = 'orchestrator';
    const report = refs(objects);
    expect(findingsOf(report, 'ref.service-account')[0]?.message).toBe(
      'ServiceAccount "orchestrator" does not exist in namespace lobstack-control-plane',
    );
    expect(findingsOf(report, 'ref.priority-class')[0]?.message).toBe(
      'PriorityClass "platform-critical" does not exist; pods are rejected at admission',
    );
    expect(findingsOf(report, 'ref.runtime-class')[0]?.message).toBe(
      'RuntimeClass "gvisor" does not exist; pods are rejected at admission',
    );
    expect(findingsOf(report, 'ref.rbac')[0]?.message).toBe('Role "orchestrator" does not exist');
  });

  it('ref.config: Secrets and ConfigMaps exist, are declared by the model, or by annotation', () => {
    const objects = fresh();
    // Without the environment the warm pool's database Secret is unknown.
    expect(findingsOf(refs(objects, false), 'ref.config')[0]).toMatchObject({
      object: { kind: 'TriggerAuthentication' },
      message: 'Secret "agent-db-connection" does not exist in namespace lobstack-agents and is not declared external',
    });
    const c = find(objects, 'Deployment', 'api').spec.template.spec.containers[0];
    c.env = [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'api-database', key: 'DATABASE_URL' } } }];
    c.envFrom = [{ configMapRef: { name: 'api-settings' } }];
    const [f] = findingsOf(refs(objects), 'ref.config');
    expect(f).toMatchObject({
      path: 'spec.template.spec.containers[0].envFrom[0].configMapRef.name',
      message:
        'ConfigMap "api-settings" does not exist in namespace lobstack-control-plane and is not declared external',
    });
    expect(f!.fix).toContain('policy.agent-platform.io/external: "ConfigMap/api-settings"');
    find(objects, 'Deployment', 'api').metadata.annotations = {
      'policy.agent-platform.io/external': 'ConfigMap/api-settings',
    };
    expect(findingsOf(refs(objects), 'ref.config')).toEqual([]);
  });

  it('ref.config: a ScaledObject authenticationRef names a TriggerAuthentication that exists', () => {
    const objects = fresh().filter((o) => o.kind !== 'TriggerAuthentication');
    expect(messages(objects, 'ref.config')).toEqual([
      'TriggerAuthentication "agent-db" does not exist in namespace lobstack-agents',
    ]);
  });

  it('ref.one-autoscaler: an HPA next to a ScaledObject on the same Deployment', () => {
    const objects = fresh();
    const hpa = structuredClone(find(objects, 'HorizontalPodAutoscaler', 'api'));
    hpa.metadata = { name: 'warm', namespace: 'lobstack-agents' };
    hpa.spec.scaleTargetRef.name = 'agent-warm-pool';
    objects.push(hpa);
    expect(messages(objects, 'ref.one-autoscaler')[0]).toContain(
      'lobstack-agents/Deployment/agent-warm-pool is already scaled by ScaledObject lobstack-agents/agent-warm-pool',
    );
  });

  it('ref.hpa-vpa-conflict: a VPA in Auto mode on what the HPA scales by', () => {
    const objects = fresh();
    const vpa = find(objects, 'VerticalPodAutoscaler', 'api');
    vpa.spec.updatePolicy.updateMode = 'Auto';
    expect(messages(objects, 'ref.hpa-vpa-conflict')).toEqual([
      'VPA in an active update mode controls cpu and memory of lobstack-control-plane/Deployment/api, which HorizontalPodAutoscaler lobstack-control-plane/api scales on',
    ]);
    // Restricting the VPA to memory while the HPA scales on CPU only is fine.
    vpa.spec.resourcePolicy = { containerPolicies: [{ containerName: '*', controlledResources: ['memory'] }] };
    find(objects, 'HorizontalPodAutoscaler', 'api').spec.metrics.pop();
    expect(messages(objects, 'ref.hpa-vpa-conflict')).toEqual([]);
  });

  it('ref.pdb-blocks-drain: minAvailable at the autoscaler floor', () => {
    const objects = fresh();
    find(objects, 'PodDisruptionBudget', 'api').spec.minAvailable = spec.controlPlaneApi.replicas.min;
    const [f] = findingsOf(refs(objects), 'ref.pdb-blocks-drain');
    expect(f).toMatchObject({ path: 'spec.minAvailable' });
    expect(f!.message).toBe(
      'minAvailable 3 with the autoscaler floor of Deployment api is 3: 0 disruptions allowed, so every node drain blocks',
    );
    find(objects, 'PodDisruptionBudget', 'api').spec = {
      maxUnavailable: 0,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
    };
    expect(findingsOf(refs(objects), 'ref.pdb-blocks-drain')[0]?.path).toBe('spec.maxUnavailable');
  });

  it('ref.autoscaled-replicas: spec.replicas on a Deployment an autoscaler owns', () => {
    const objects = fresh();
    find(objects, 'Deployment', 'agent-warm-pool').spec.replicas = 2;
    expect(findingsOf(refs(objects), 'ref.autoscaled-replicas')[0]).toMatchObject({
      object: { kind: 'Deployment', name: 'agent-warm-pool' },
      path: 'spec.replicas',
      message: expect.stringContaining(
        'is scaled by ScaledObject lobstack-agents/agent-warm-pool but sets spec.replicas (2)',
      ),
    });
  });
});
