import { configErrorOf, parseRaw, rawStack } from '../support/environments';
import { parseEnvironment } from '../../config';

const postgres = {
  name: 'postgres',
  namespace: 'team-research',
  image: 'docker.io/library/postgres:16.4',
  port: 5432,
  resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } },
  storage: { size: '20Gi', mountPath: '/var/lib/postgresql/data' },
  clients: ['api'],
};

/** A job with three problems once its schedule is valid: unknown priority class, GPUs, a CPU pool. */
const gpuJobOnCpuPool = {
  name: 'evaluation',
  namespace: 'team-research',
  image: 'ghcr.io/acme/eval:1.0.0',
  schedule: '0 2 * * *',
  resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
  priorityClass: 'urgent',
  gpus: 1,
  pool: 'api',
};

describe('workload kinds in the environment model', () => {
  it('accepts a stateful service and fills its defaults', () => {
    const raw = rawStack();
    raw.statefulServices = [postgres];
    // A stateful service's namespace needs a volume schedule (backup.volumes, config/recovery.ts).
    raw.backup.volumes = [{ name: 'research', namespaces: ['team-research'], schedule: '0 * * * *' }];
    const spec = parseRaw(raw);
    expect(spec.statefulServices[0]).toMatchObject({ replicas: 1, runAsUser: 999, scratchPaths: ['/tmp'] });
  });

  it('refuses a stateful service client that is no workload, and an unknown namespace', () => {
    const raw = rawStack();
    raw.statefulServices = [{ ...postgres, namespace: 'team-x', clients: ['worker'] }];
    const message = configErrorOf(raw);
    expect(message).toContain('statefulServices[0].namespace ("team-x") is not a namespace of this environment');
    expect(message).toContain('statefulServices[0].clients[0] ("worker") names no workload (have: api)');
  });

  it('warns about a storage class that the environment does not define', () => {
    const raw = rawStack();
    raw.statefulServices = [{ ...postgres, storage: { ...postgres.storage, storageClass: 'fast-ssd' } }];
    raw.backup.volumes = [{ name: 'research', namespaces: ['team-research'], schedule: '0 * * * *' }];
    const { warnings } = parseEnvironment(raw, { stack: 't', source: 't' });
    expect(warnings).toContain(
      'statefulServices[0].storage.storageClass: "fast-ssd" is not defined in storageClasses; it must exist in the cluster',
    );
  });

  it('refuses a job with a bad schedule, an unknown priority class and GPUs on a CPU pool', () => {
    const raw = rawStack();
    raw.jobs = [{ ...gpuJobOnCpuPool, schedule: 'every night' }];
    const message = configErrorOf(raw);
    expect(message).toContain('jobs[0].schedule ("every night") must be a cron schedule such as "0 2 * * *" or @daily');
  });

  it('checks job references once the job itself is well-formed', () => {
    const raw = rawStack();
    raw.jobs = [gpuJobOnCpuPool];
    const message = configErrorOf(raw);
    expect(message).toContain(
      'jobs[0].priorityClass ("urgent") is not a PriorityClass of this environment (have: platform-critical, agent, batch)',
    );
    expect(message).toContain(
      'jobs[0].pool ("api") must name a pool with gpu: true, since the workload requests 1 GPU(s)',
    );
  });

  it('requires a probe command for worker services', () => {
    const raw = rawStack();
    raw.services = [
      {
        name: 'worker',
        namespace: 'team-research',
        kind: 'worker',
        image: 'ghcr.io/acme/worker:1.0.0',
        replicas: { min: 3, max: 20 },
        resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } },
      },
    ];
    expect(configErrorOf(raw)).toContain('services[0].probeCommand is required for kind "worker"');
  });

  it('refuses two default storage classes and alternative instance types off AWS', () => {
    const raw = rawStack();
    raw.storageClasses = [
      { name: 'a', provisioner: 'csi.hetzner.cloud', default: true },
      { name: 'b', provisioner: 'csi.hetzner.cloud', default: true },
    ];
    raw.nodePools[1].alternativeInstanceTypes = ['cx33'];
    const message = configErrorOf(raw);
    expect(message).toContain('storageClasses must mark at most one class as default (marked: a, b)');
    expect(message).toContain('nodePools[1].alternativeInstanceTypes[0] ("cx33") is only supported on aws');
  });
});

describe('GPU workloads', () => {
  const inference = {
    name: 'inference',
    namespace: 'team-research',
    image: 'ghcr.io/acme/inference:1.0.0',
    gpus: 1,
    replicas: { min: 2, max: 4 },
    resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '8Gi' } },
    pdbMinAvailable: 1,
  };

  it('without a pool, go to the GPU pool (as the charts place them)', () => {
    const raw = rawStack();
    raw.cloud = { provider: 'aws', region: 'us-east-1', locations: ['us-east-1a', 'us-east-1b'] };
    raw.nodePools = [
      { name: 'system', role: 'system', instanceType: 'm6i.large', min: 2, max: 3 },
      { name: 'api', role: 'api', instanceType: 'm6i.xlarge', min: 3, max: 8 },
      { name: 'agents', role: 'agents', instanceType: 'm7i.2xlarge', min: 2, max: 10 },
      { name: 'gpu', role: 'gpu', instanceType: 'g5.xlarge', gpu: true, min: 0, max: 4 },
    ];
    raw.services = [inference];
    expect(parseRaw(raw).services[0]!.pool).toBeUndefined();
  });

  it('without a pool and without a GPU pool, are refused', () => {
    const raw = rawStack();
    raw.services = [inference];
    expect(configErrorOf(raw)).toContain(
      'services[0].pool is required: the workload requests 1 GPU(s) and no pool with role "gpu" and gpu: true exists',
    );
  });
});

describe('external HPA metrics', () => {
  const service = {
    name: 'queue-worker',
    namespace: 'team-research',
    image: 'ghcr.io/acme/worker:1.0.0',
    replicas: { min: 2, max: 10 },
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    pdbMinAvailable: 1,
    autoscaling: { external: [{ metric: 'rabbitmq_queue_messages', averageValue: '10' }] },
  };

  it('are refused while KEDA owns the external metrics API', () => {
    const raw = rawStack();
    raw.services = [service];
    expect(configErrorOf(raw)).toContain(
      'services[0].autoscaling.external cannot be served while addons.keda is enabled: KEDA owns the external metrics API',
    );
  });

  it('are served by prometheus-adapter when KEDA is off', () => {
    const raw = rawStack();
    delete raw.agents.warmPool;
    raw.services = [service];
    raw.addons = { ...raw.addons, keda: { enabled: false } };
    expect(parseRaw(raw).services[0]!.autoscaling.external[0]!.metric).toBe('rabbitmq_queue_messages');
  });
});
