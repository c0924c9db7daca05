import { StatefulService, type StatefulServiceProps } from '../../../charts-src/constructs/stateful-service';
import { errorOf, find, objectsOf, ofKind, testChart, type Obj } from '../support/objects';

/** Only the required props. */
const required: StatefulServiceProps = {
  name: 'db',
  namespace: 'shop',
  image: 'postgres:17.2',
  port: 5432,
  resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  storage: { size: '20Gi', mountPath: '/var/lib/postgresql/data' },
  clients: [{ name: 'api', namespace: 'shop-cp', podLabels: { 'app.kubernetes.io/name': 'api' } }],
};

function render(extra: Partial<StatefulServiceProps> = {}): Obj[] {
  const chart = testChart();
  new StatefulService(chart, 'Db', { ...required, ...extra });
  return objectsOf(chart);
}

describe('StatefulService with only its required props', () => {
  const objects = render();
  const set = find(objects, 'StatefulSet', 'db', 'shop');
  const pod = set.spec.template.spec;

  it('runs one replica with no PDB (a PDB on a single pod blocks every drain)', () => {
    expect(set.spec.replicas).toBe(1);
    expect(ofKind(objects, 'PodDisruptionBudget')).toEqual([]);
  });

  it('runs as UID 999 at platform-critical priority, on no particular pool', () => {
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsUser: 999, readOnlyRootFilesystem: true });
    expect(pod.priorityClassName).toBe('platform-critical');
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
  });

  it('mounts the data volume and a 1Gi /tmp, with no args and an empty environment', () => {
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'data', mountPath: '/var/lib/postgresql/data' },
      { name: 'scratch-0', mountPath: '/tmp' },
    ]);
    expect(pod.volumes).toEqual([{ name: 'scratch-0', emptyDir: { sizeLimit: '1Gi' } }]);
    expect(pod.containers[0].args).toBeUndefined();
    expect(pod.containers[0].env).toEqual([]);
  });

  it('claims storage from the default StorageClass', () => {
    expect(set.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '20Gi' } },
    });
  });

  it('lets the clients in, and only them, with the egress side in their namespace', () => {
    expect(find(objects, 'NetworkPolicy', 'db-allow-clients', 'shop').spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop-cp' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 5432 }],
      },
    ]);
    expect(find(objects, 'NetworkPolicy', 'api-to-db', 'shop-cp').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 5432 }],
        },
      ],
    });
  });
});

describe('StatefulService options', () => {
  it('replicas above 1 get a PDB of maxUnavailable 1; scheduling, storageClass, args and env are written', () => {
    const objects = render({
      replicas: 3,
      storage: { ...required.storage, storageClass: 'fast' },
      args: ['--appendonly', 'yes'],
      env: { MODE: 'primary' },
      secrets: [{ name: 'db-auth', keys: ['PASSWORD'] }],
      scheduling: { nodeSelector: { pool: 'data' }, tolerations: [] },
      priorityClassName: 'batch',
    });
    expect(find(objects, 'PodDisruptionBudget', 'db').spec.maxUnavailable).toBe(1);
    const set = find(objects, 'StatefulSet', 'db');
    expect(set.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('fast');
    const pod = set.spec.template.spec;
    expect(pod.nodeSelector).toEqual({ pool: 'data' });
    expect(pod.priorityClassName).toBe('batch');
    expect(pod.containers[0].args).toEqual(['--appendonly', 'yes']);
    expect(pod.containers[0].env).toEqual([
      { name: 'MODE', value: 'primary' },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db-auth', key: 'PASSWORD' } } },
    ]);
  });

  it('refuses a client namespace that is not a DNS label, naming the client', () => {
    expect(errorOf(() => render({ clients: [{ name: 'x', namespace: 'Bad_NS', podLabels: { a: 'b' } }] }))).toMatch(
      /^test\/Db: clients\[0\]\.namespace \("Bad_NS"\) must be a DNS label/,
    );
  });
});
