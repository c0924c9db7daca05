/**
 * Each seed system of ../shared/seeds/ as an environment file under examples/: it
 * loads, renders, and carries the seed's distinctive numbers.
 */
import { gateRendered } from '../../policy/gate';
import { EXAMPLES, exampleObjects, exampleSpec } from '../support/examples';
import { find, ofKind, render, type Any } from '../support/render';

describe.each(EXAMPLES)('examples/%s', (name) => {
  it('loads through the validator, renders, and passes the policy gate with zero errors', () => {
    const spec = exampleSpec(name);
    expect(spec.stack).toBe(name);
    const rendered = render(spec);
    expect(rendered.files.flatMap((f) => f.objects).length).toBeGreaterThan(50);
    const report = gateRendered(name, rendered.files, spec, {});
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.passed).toBe(true);
  });
});

describe('seed 001, STELLA', () => {
  const objects = exampleObjects('stella');

  it('has one agents namespace with the seed quota and limit range', () => {
    const quota: Any = find(objects, 'ResourceQuota', 'namespace-quota', 'ai-agents');
    expect(quota.spec.hard).toMatchObject({
      'requests.cpu': '10',
      'requests.memory': '20Gi',
      'limits.cpu': '20',
      'limits.memory': '40Gi',
      pods: '50',
    });
    const limits: Any = find(objects, 'LimitRange', 'namespace-limits', 'ai-agents');
    const container = limits.spec.limits.find((l: Any) => l.type === 'Container');
    expect(container.default).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(container.defaultRequest).toEqual({ cpu: '100m', memory: '256Mi' });
  });

  it('has the three agent types with the seed resources', () => {
    const resources = (tier: string) =>
      (find(objects, 'PodTemplate', `agent-${tier}`, 'ai-agents') as Any).template.spec.containers[0].resources;
    expect(resources('stella-agent')).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1000m', memory: '2Gi' },
    });
    expect(resources('stella-light')).toEqual({
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '1Gi' },
    });
    expect(resources('echo-agent')).toEqual({
      requests: { cpu: '50m', memory: '128Mi' },
      limits: { cpu: '250m', memory: '512Mi' },
    });
  });

  it('creates session pods on demand only (no warm pool) on agent nodes labelled workload-type=ai-agents', () => {
    expect(ofKind(objects, 'ScaledObject')).toEqual([]);
    const spec = exampleSpec('stella');
    expect(spec.placement.agents!.labels).toEqual({ 'workload-type': 'ai-agents' });
    const runtime: Any = find(objects, 'RuntimeClass', 'gvisor');
    expect(runtime.scheduling.nodeSelector).toEqual({ 'agent-platform.io/pool': 'agents' });
  });

  it('scales the backend 2-10 on CPU 70%', () => {
    const hpa: Any = find(objects, 'HorizontalPodAutoscaler', 'api', 'ai-control-plane');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
  });

  it('lets agents out on TCP and UDP 443 only, never to private ranges', () => {
    const egress: Any = find(objects, 'NetworkPolicy', 'agent-egress', 'ai-agents');
    const internet = egress.spec.egress[egress.spec.egress.length - 1];
    expect(internet.ports).toEqual([
      { protocol: 'TCP', port: 443 },
      { protocol: 'UDP', port: 443 },
    ]);
    expect(internet.to[0].ipBlock.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16']));
  });
});

describe('seed 002, cybersecurity agent platform', () => {
  const objects = exampleObjects('cybersec');
  const hpa = (name: string): Any => find(objects, 'HorizontalPodAutoscaler', name, 'cyber-control-plane');

  it('scales gateway 3-20, brain 2-10 and workers 3-20 at 70% CPU or 80% memory', () => {
    for (const [name, min, max] of [
      ['api', 3, 20],
      ['brain', 2, 10],
      ['worker', 3, 20],
    ] as const) {
      expect(hpa(name).spec).toMatchObject({ minReplicas: min, maxReplicas: max });
      expect(hpa(name).spec.metrics.map((m: Any) => m.resource.target.averageUtilization)).toEqual([70, 80]);
    }
  });

  it('gives each component the resources of the seed table', () => {
    const resources = (kind: string, name: string, ns: string) =>
      (find(objects, kind, name, ns) as Any).spec.template.spec.containers[0].resources;
    expect(resources('Deployment', 'api', 'cyber-control-plane')).toEqual({
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '1Gi' },
    });
    expect(resources('Deployment', 'brain', 'cyber-control-plane').limits).toEqual({ cpu: '1000m', memory: '2Gi' });
    expect(resources('StatefulSet', 'postgres', 'cyber-data').requests).toEqual({ cpu: '250m', memory: '512Mi' });
    expect(resources('StatefulSet', 'redis', 'cyber-data').limits).toEqual({ cpu: '500m', memory: '512Mi' });
  });

  it('runs PostgreSQL and Redis as StatefulSets with persistent storage', () => {
    const pg: Any = find(objects, 'StatefulSet', 'postgres', 'cyber-data');
    expect(pg.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
    expect(pg.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('hcloud-volumes-retain');
    expect(find(objects, 'StorageClass', 'hcloud-volumes-retain')).toMatchObject({ reclaimPolicy: 'Retain' });
  });

  it('lets only the application pods reach the database', () => {
    const policy: Any = find(objects, 'NetworkPolicy', 'postgres-allow-clients', 'cyber-data');
    const sources = policy.spec.ingress[0].from.map((p: Any) => p.podSelector.matchLabels['app.kubernetes.io/name']);
    expect(sources).toEqual(['api', 'worker']);
    expect(policy.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
  });

  it('runs the Celery workers without a Service, probed by command', () => {
    expect(ofKind(objects, 'Service').map((s) => s.metadata.name)).not.toContain('worker');
    const worker: Any = find(objects, 'Deployment', 'worker', 'cyber-control-plane');
    expect(worker.spec.template.spec.containers[0].livenessProbe.exec.command[0]).toBe('celery');
  });
});

describe('seed 003, customer-support copilot', () => {
  const objects = exampleObjects('support-copilot');
  const spec = exampleSpec('support-copilot');

  it('has a CPU pool, a GPU pool tainted gpu=true, and a spot pool for batch', () => {
    const pools = Object.fromEntries(spec.nodePools.map((p) => [p.name, p]));
    expect(pools['general']).toMatchObject({ instanceType: 'm5.xlarge', capacity: 'on-demand' });
    expect(pools['gpu']).toMatchObject({ instanceType: 'g5.xlarge', gpu: true });
    expect(pools['gpu']!.taints).toEqual([{ key: 'gpu', value: 'true', effect: 'NoSchedule' }]);
    expect(pools['batch']).toMatchObject({ capacity: 'spot', role: 'batch' });
  });

  it('places inference pods on the GPU pool, tolerating its taint, with a GPU each and a preempting priority', () => {
    const pod: Any = (find(objects, 'Deployment', 'inference', 'copilot-support') as Any).spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'agent-platform.io/pool': 'gpu' });
    expect(pod.tolerations).toEqual([{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe(1);
    expect(pod.priorityClassName).toBe('inference-critical');
    expect(find(objects, 'PriorityClass', 'inference-critical')).toMatchObject({ value: 500000 });
  });

  it('scales the planner at 70% CPU and keeps at least 2 planners through disruptions', () => {
    const hpa: Any = find(objects, 'HorizontalPodAutoscaler', 'api', 'copilot-control-plane');
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(70);
    expect((find(objects, 'PodDisruptionBudget', 'api', 'copilot-control-plane') as Any).spec.minAvailable).toBe(2);
  });

  it('scales the tool adapters with KEDA on Redis queue depth', () => {
    const so: Any = find(objects, 'ScaledObject', 'adapters', 'copilot-support');
    expect(so.spec.triggers[0]).toMatchObject({
      type: 'redis',
      metadata: { listName: 'adapter-tasks', listLength: '20' },
    });
    expect(ofKind(objects, 'HorizontalPodAutoscaler').map((h) => h.metadata.name)).not.toContain('adapters');
  });

  it('runs evaluation jobs nightly on the spot pool, right-sized by a VPA', () => {
    const cron: Any = find(objects, 'CronJob', 'evaluation', 'copilot-support');
    expect(cron.spec.schedule).toBe('0 2 * * *');
    expect(cron.spec.jobTemplate.spec.template.spec.nodeSelector).toEqual({ 'agent-platform.io/pool': 'batch' });
    expect((find(objects, 'VerticalPodAutoscaler', 'evaluation', 'copilot-support') as Any).spec.updatePolicy).toEqual({
      updateMode: 'Auto',
    });
  });
});

describe('seed 004, AI workflow platform on EKS', () => {
  const objects = exampleObjects('ai-workflow');
  const spec = exampleSpec('ai-workflow');

  it('has the three node groups: spot application, tainted data, tainted infrastructure', () => {
    const pools = Object.fromEntries(spec.nodePools.map((p) => [p.name, p]));
    expect(pools['application']).toMatchObject({ capacity: 'spot', min: 3, max: 20, instanceType: 't3.xlarge' });
    expect(pools['data']).toMatchObject({ capacity: 'on-demand', min: 3, max: 6, instanceType: 'r5.xlarge' });
    expect(pools['data']!.taints).toEqual([{ key: 'workload', value: 'data', effect: 'NoSchedule' }]);
    expect(pools['infrastructure']!.taints).toEqual([{ key: 'workload', value: 'infrastructure', effect: 'NoSchedule' }]);
    expect(spec.placement.system.name).toBe('infrastructure');
  });

  it('has the namespaces with their Pod Security levels', () => {
    const level = (ns: string) =>
      (find(objects, 'Namespace', ns) as Any).metadata.labels['pod-security.kubernetes.io/enforce'];
    expect(level('application')).toBe('restricted');
    expect(level('data')).toBe('baseline');
    expect(level('infrastructure')).toBe('restricted');
    expect(level('observability')).toBe('baseline');
  });

  it('carries the seed application quota and limit range', () => {
    expect((find(objects, 'ResourceQuota', 'namespace-quota', 'application') as Any).spec.hard).toMatchObject({
      'requests.cpu': '50',
      'requests.memory': '100Gi',
      'limits.cpu': '100',
      'limits.memory': '200Gi',
      pods: '100',
      services: '50',
      persistentvolumeclaims: '20',
      'requests.storage': '500Gi',
    });
    const limits: Any = find(objects, 'LimitRange', 'namespace-limits', 'application');
    const container = limits.spec.limits.find((l: Any) => l.type === 'Container');
    expect(container).toMatchObject({ max: { cpu: '4', memory: '8Gi' }, min: { cpu: '50m', memory: '64Mi' } });
  });

  it('has the storage classes and the snapshot class', () => {
    expect(find(objects, 'StorageClass', 'fast-ssd')).toMatchObject({
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', iops: '3000', throughput: '125' },
      reclaimPolicy: 'Retain',
    });
    const standard: Any = find(objects, 'StorageClass', 'standard-ssd');
    expect(standard.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
    expect(find(objects, 'VolumeSnapshotClass', 'csi-snapshots')).toMatchObject({ deletionPolicy: 'Retain' });
  });

  it('scales the LLM agent service on the external queue metric with the seed behaviour', () => {
    const hpa: Any = find(objects, 'HorizontalPodAutoscaler', 'llm-agent-service', 'application');
    expect(hpa.spec.metrics).toContainEqual({
      type: 'External',
      external: {
        metric: { name: 'rabbitmq_queue_messages', selector: { matchLabels: { queue: 'llm-agent-tasks' } } },
        target: { type: 'AverageValue', averageValue: '10' },
      },
    });
    expect(hpa.spec.behavior.scaleDown).toEqual({
      stabilizationWindowSeconds: 300,
      selectPolicy: 'Min',
      policies: [
        { type: 'Percent', value: 50, periodSeconds: 60 },
        { type: 'Pods', value: 2, periodSeconds: 60 },
      ],
    });
    expect(hpa.spec.behavior.scaleUp.policies).toEqual([
      { type: 'Percent', value: 100, periodSeconds: 60 },
      { type: 'Pods', value: 4, periodSeconds: 60 },
    ]);
  });

  it('gives developers cluster-wide read-only access', () => {
    const binding: Any = find(objects, 'ClusterRoleBinding', 'platform-read-only');
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'developers' }]);
  });
});
