import { WarmPool, type WarmPoolProps, type WarmPoolScaling } from '../../../charts-src/constructs/warm-pool';
import { chart, errorOf, type Obj } from './helpers';

const probe = (path: string) => ({
  path,
  periodSeconds: 10,
  failureThreshold: 3,
  initialDelaySeconds: 0,
  timeoutSeconds: 3,
});
const scaling: WarmPoolScaling = {
  minReplicas: 0,
  maxReplicas: 30,
  pollingInterval: 10,
  cooldownPeriod: 300,
  cpuUtilization: 60,
  query: 'SELECT 1',
  targetQueryValue: 2,
  database: { secretName: 'db', connectionKey: 'url' },
};
const props = (over: Partial<WarmPoolScaling> = {}, name?: string): WarmPoolProps => ({
  namespace: 'agents',
  pod: {
    tier: 'small',
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' }, workspace: '2Gi' },
    image: 'ghcr.io/example/agent:1.0.0',
    port: 8080,
    runAsUser: 20000,
    probes: { startup: probe('/healthz'), liveness: probe('/healthz'), readiness: probe('/readyz') },
  },
  scaling: { ...scaling, ...over },
  ...(name ? { name } : {}),
});
const render = (p: WarmPoolProps): Obj[] => {
  const c = chart();
  new WarmPool(c, 'WarmPool', p);
  return c.toJson() as Obj[];
};

describe('WarmPool', () => {
  it('defaults: Deployment without replicas, TriggerAuthentication by reference, postgresql + cpu triggers', () => {
    const [deployment, auth, so] = render(props());
    expect(deployment.kind).toBe('Deployment');
    expect(deployment.metadata).toMatchObject({ name: 'agent-warm-pool', namespace: 'agents' });
    expect(deployment.spec).not.toHaveProperty('replicas');
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: '25%' });
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    expect(deployment.spec.template.spec.restartPolicy).toBe('Always');
    expect(auth).toMatchObject({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: 'agent-warm-pool-database', namespace: 'agents' },
      spec: { secretTargetRef: [{ parameter: 'connection', name: 'db', key: 'url' }] },
    });
    expect(so.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'agent-warm-pool' },
      minReplicaCount: 0,
      maxReplicaCount: 30,
      pollingInterval: 10,
      cooldownPeriod: 300,
      triggers: [
        {
          type: 'postgresql',
          name: 'provisioning-requests',
          metadata: { query: 'SELECT 1', targetQueryValue: '2' },
          authenticationRef: { name: 'agent-warm-pool-database', kind: 'TriggerAuthentication' },
        },
        {
          type: 'cpu',
          name: 'cpu-utilization',
          metricType: 'Utilization',
          metadata: { value: '60', containerName: 'agent' },
        },
      ],
    });
  });

  it('takes another name', () => {
    const [deployment, auth, so] = render(props({}, 'warm'));
    expect(deployment.metadata.name).toBe('warm');
    expect(auth.metadata.name).toBe('warm-database');
    expect(so.spec.scaleTargetRef.name).toBe('warm');
  });

  it.each([
    [{ maxReplicas: 0 }, 'test/WarmPool: maxReplicas (0) must be an integer >= 1'],
    [{ minReplicas: 5, maxReplicas: 3 }, 'test/WarmPool: maxReplicas (3) must be >= minReplicas (5)'],
    [{ minReplicas: -1 }, 'test/WarmPool: minReplicas (-1) must be an integer >= 0'],
    [{ cpuUtilization: 0 }, 'test/WarmPool: cpuUtilization (0) must be between 1 and 100'],
    [{ targetQueryValue: 0 }, 'test/WarmPool: targetQueryValue (0) must be > 0'],
  ])('refuses %j', (over, message) => {
    expect(errorOf(() => render(props(over)))).toBe(message);
  });
});
