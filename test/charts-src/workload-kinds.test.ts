import { parseRaw, rawStack } from '../support/environments';
import { find, objectsOf, ofKind, type Any } from '../support/render';

const resources = { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } };

function environment(extra: Record<string, unknown>) {
  const raw = rawStack();
  // Stateful services below live in team-research; backups must cover it (config/recovery.ts).
  raw.backup.volumes = [{ name: 'research', namespaces: ['team-research'], schedule: '0 * * * *' }];
  Object.assign(raw, extra);
  return parseRaw(raw, 'staging');
}

describe('StatefulService', () => {
  const spec = environment({
    statefulServices: [
      {
        name: 'postgres',
        namespace: 'team-research',
        image: 'docker.io/library/postgres:16.4',
        port: 5432,
        resources,
        storage: { size: '20Gi', storageClass: 'fast-ssd', mountPath: '/var/lib/postgresql/data' },
        clients: ['api'],
        scratchPaths: ['/tmp', '/var/run/postgresql'],
        env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
        secrets: [{ name: 'postgres-credentials', keys: ['POSTGRES_PASSWORD'] }],
      },
    ],
  });
  const objects = objectsOf(spec);
  const set: Any = find(objects, 'StatefulSet', 'postgres', 'lobstack-team-research');
  const pod = set.spec.template.spec;

  it('renders a StatefulSet with a retained volume per replica', () => {
    expect(set.spec.replicas).toBe(1);
    expect(set.spec.serviceName).toBe('postgres');
    expect(set.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(set.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'fast-ssd',
      resources: { requests: { storage: '20Gi' } },
    });
  });

  it('runs restricted, with secrets by reference only', () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 999,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const container = pod.containers[0];
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.env).toContainEqual({
      name: 'POSTGRES_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'POSTGRES_PASSWORD' } },
    });
    expect(container.volumeMounts.map((m: Any) => m.mountPath)).toEqual([
      '/var/lib/postgresql/data',
      '/tmp',
      '/var/run/postgresql',
    ]);
    // Scratch space is size-limited: a runaway writer is evicted before it fills the node's disk.
    expect(pod.volumes).toEqual([
      { name: 'scratch-0', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'scratch-1', emptyDir: { sizeLimit: '1Gi' } },
    ]);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('lands on the API pool when the environment has no data pool', () => {
    expect(pod.nodeSelector).toEqual({ 'agent-platform.io/pool': 'api' });
  });

  it('admits only its clients, on both sides of the connection', () => {
    const ingress: Any = find(objects, 'NetworkPolicy', 'postgres-allow-clients', 'lobstack-team-research');
    expect(ingress.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-control-plane' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 5432 }],
      },
    ]);
    const egress: Any = find(objects, 'NetworkPolicy', 'api-to-postgres', 'lobstack-control-plane');
    expect(egress.spec.policyTypes).toEqual(['Egress']);
    expect(egress.spec.egress[0].to[0].podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'postgres' } });
  });

  it('has no PDB with one replica (it would block every drain)', () => {
    expect(ofKind(objects, 'PodDisruptionBudget').filter((o) => o.metadata.name === 'postgres')).toEqual([]);
  });
});

describe('ScheduledJob', () => {
  const spec = environment({
    jobs: [
      {
        name: 'evaluation',
        namespace: 'team-research',
        image: 'ghcr.io/acme/eval:1.0.0',
        schedule: '0 2 * * *',
        resources,
        vpa: { updateMode: 'Auto' },
      },
    ],
  });
  const objects = objectsOf(spec);

  it('renders a CronJob that never overlaps and is bounded', () => {
    const cron: Any = find(objects, 'CronJob', 'evaluation', 'lobstack-team-research');
    expect(cron.spec.schedule).toBe('0 2 * * *');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 3600 });
    expect(cron.spec.jobTemplate.spec.template.spec.priorityClassName).toBe('batch');
    expect(cron.spec.jobTemplate.spec.template.spec.volumes).toEqual([
      { name: 'scratch-0', emptyDir: { sizeLimit: '1Gi' } },
    ]);
  });

  it('right-sizes the job with a VPA on the CronJob', () => {
    const vpa: Any = find(objects, 'VerticalPodAutoscaler', 'evaluation');
    expect(vpa.spec.targetRef).toEqual({ apiVersion: 'batch/v1', kind: 'CronJob', name: 'evaluation' });
    expect(vpa.spec.updatePolicy).toEqual({ updateMode: 'Auto' });
  });
});

describe('StorageChart and AccessChart', () => {
  const spec = environment({
    storageClasses: [
      {
        name: 'fast-ssd',
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', iops: '3000' },
        reclaimPolicy: 'Retain',
      },
      { name: 'standard-ssd', provisioner: 'ebs.csi.aws.com', default: true },
    ],
    volumeSnapshotClasses: [{ name: 'csi-snapshots', driver: 'ebs.csi.aws.com' }],
    access: { clusterReadOnlyGroups: ['developers'] },
  });
  const objects = objectsOf(spec);

  it('renders storage classes with the default marked once', () => {
    const fast: Any = find(objects, 'StorageClass', 'fast-ssd');
    expect(fast).toMatchObject({
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', iops: '3000' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    expect(fast.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('false');
    const standard: Any = find(objects, 'StorageClass', 'standard-ssd');
    expect(standard.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
    expect(find(objects, 'VolumeSnapshotClass', 'csi-snapshots')).toMatchObject({
      driver: 'ebs.csi.aws.com',
      deletionPolicy: 'Retain',
    });
  });

  it('binds the read-only groups to a role without secrets', () => {
    const role: Any = find(objects, 'ClusterRole', 'platform-read-only');
    const resourcesRead = role.rules.flatMap((r: Any) => r.resources);
    expect(resourcesRead).toContain('pods');
    expect(resourcesRead).not.toContain('secrets');
    expect(role.rules.flatMap((r: Any) => r.verbs)).not.toContain('*');
    const binding: Any = find(objects, 'ClusterRoleBinding', 'platform-read-only');
    // The IdP group as the cluster sees it: the stack's OIDC groups prefix.
    expect(binding.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'oidc:developers' },
    ]);
  });

  it('renders no storage or access objects when the environment declares none', () => {
    const plain = objectsOf(parseRaw(rawStack(), 'staging'));
    expect(ofKind(plain, 'StorageClass')).toEqual([]);
    expect(ofKind(plain, 'ClusterRole').filter((r) => r.metadata.name === 'platform-read-only')).toEqual([]);
  });
});

describe('PriorityClassesChart', () => {
  it("renders the platform classes and the environment's own", () => {
    const spec = environment({
      priorityClasses: [{ name: 'inference-critical', value: 500000, description: 'GPU inference' }],
    });
    const classes = ofKind(objectsOf(spec), 'PriorityClass');
    expect(classes.map((c) => c.metadata.name)).toEqual(['platform-critical', 'agent', 'batch', 'inference-critical']);
    expect(find(classes, 'PriorityClass', 'inference-critical')).toMatchObject({
      value: 500000,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    expect(find(classes, 'PriorityClass', 'batch')).toMatchObject({ value: 1000, preemptionPolicy: 'Never' });
  });
});
