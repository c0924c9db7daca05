/**
 * The backup chart: Velero schedules from the model, the Vault Raft snapshot job
 * (restricted, Kubernetes-auth login, credentials by reference), the flows to the
 * object storage, and Velero's privileged namespace with its reason.
 */
import { exampleObjects } from '../support/examples';
import { stackSpec } from '../support/environments';
import { find, objectsOf, ofKind, type Any } from '../support/render';

const staging = objectsOf(stackSpec('staging'));
const prod = objectsOf(stackSpec('prod'));

describe('Velero schedules', () => {
  it('renders each schedule of the model with its namespaces, retention and file-system volumes on Hetzner', () => {
    const schedule: Any = find(prod, 'Schedule', 'tenants', 'lobstack-backup');
    expect(schedule.apiVersion).toBe('velero.io/v1');
    expect(schedule.spec).toEqual({
      schedule: '15 * * * *',
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: ['lobstack-team-research', 'lobstack-team-support'],
        storageLocation: 'default',
        ttl: '336h0m0s',
        defaultVolumesToFsBackup: true,
        snapshotVolumes: false,
      },
    });
  });

  it('snapshots volumes with the EBS CSI driver on EKS, through the class labelled for Velero', () => {
    const objects = exampleObjects('support-copilot');
    const schedule: Any = find(objects, 'Schedule', 'cache');
    expect(schedule.spec.template).toMatchObject({ snapshotVolumes: true, defaultVolumesToFsBackup: false });
    const vsc: Any = find(objects, 'VolumeSnapshotClass', 'ebs-snapshots');
    expect(vsc.metadata.labels['velero.io/csi-volumesnapshot-class']).toBe('true');
  });

  it('puts Velero in a privileged namespace that says why', () => {
    const ns: Any = find(staging, 'Namespace', 'lobstack-backup');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(JSON.stringify(ns.metadata.annotations)).toContain('hostPath mount of /var/lib/kubelet/pods');
  });
});

describe('Vault Raft snapshots', () => {
  const job: Any = find(staging, 'CronJob', 'vault-raft-snapshot', 'lobstack-vault');
  const pod = job.spec.jobTemplate.spec.template.spec;

  it('runs on the backup schedule, one at a time', () => {
    expect(job.spec.schedule).toBe('0 * * * *');
    expect(job.spec.timeZone).toBe('Etc/UTC');
    expect(job.spec.concurrencyPolicy).toBe('Forbid');
  });

  it('logs in with the Kubernetes-auth role and a short-lived projected token, never a root token', () => {
    const [snapshot] = pod.initContainers;
    const script = snapshot.command.join(' ');
    expect(script).toContain(
      'vault write -field=token auth/kubernetes/login role=raft-snapshot jwt=@/var/run/secrets/vault/token',
    );
    expect(script).toContain('vault operator raft snapshot save');
    expect(script).not.toMatch(/root/i);
    // Vault serves only TLS: the CLI verifies it with the internal CA (cert-manager's vault-ca Secret).
    expect(snapshot.env).toContainEqual({ name: 'VAULT_ADDR', value: 'https://vault-active.lobstack-vault.svc:8200' });
    expect(snapshot.env).toContainEqual({ name: 'VAULT_CACERT', value: '/vault/tls/ca.crt' });
    expect(pod.automountServiceAccountToken).toBe(false);
    const token = pod.volumes.find((v: Any) => v.name === 'vault-token');
    expect(token.projected.sources[0].serviceAccountToken).toEqual({ path: 'token', expirationSeconds: 600 });
  });

  it('uploads to its folder with credentials referenced from a Secret, and prunes to the retention', () => {
    const upload = pod.containers[0];
    expect(upload.env).toEqual(
      expect.arrayContaining([
        { name: 'S3_ENDPOINT', value: 'https://fsn1.your-objectstorage.com' },
        { name: 'S3_BUCKET', value: 'lobstack-staging-backups' },
        { name: 'S3_FOLDER', value: 'lobstack-staging/vault' },
        { name: 'RETENTION', value: '48' },
      ]),
    );
    expect(upload.envFrom).toEqual([{ secretRef: { name: 'vault-snapshot-s3' } }]);
    expect(job.metadata.annotations['policy.agent-platform.io/external']).toBe(
      'Secret/vault-ca,Secret/vault-snapshot-s3',
    );
    expect(upload.command.join(' ')).toContain('head -n "-$RETENTION"');
  });

  it('is restricted: non-root, no escalation, every capability dropped, size-limited scratch', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
      });
    }
    for (const v of pod.volumes.filter((x: Any) => x.emptyDir)) expect(v.emptyDir.sizeLimit).toBeDefined();
  });

  it('on EKS uses the service account identity (Pod Identity): no Secret, no role ARN in dist/', () => {
    const aws: Any = find(exampleObjects('lobstack-aws'), 'CronJob', 'vault-raft-snapshot');
    const upload = aws.spec.jobTemplate.spec.template.spec.containers[0];
    expect(upload.envFrom).toBeUndefined();
    // Only the CA Secret cert-manager writes; no credentials Secret.
    expect(aws.metadata.annotations).toEqual({ 'policy.agent-platform.io/external': 'Secret/vault-ca' });
    expect(upload.env).not.toContainEqual(
      expect.objectContaining({ name: 'S3_ENDPOINT', value: expect.stringContaining('your-objectstorage') }),
    );
    const sa: Any = find(exampleObjects('lobstack-aws'), 'ServiceAccount', 'vault-snapshot');
    expect(sa.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBeUndefined();
  });
});

describe('flows to the object storage', () => {
  const policies = ofKind(staging, 'NetworkPolicy');

  it('lets Velero reach the API server and HTTPS on public addresses only', () => {
    const storage: Any = find(policies, 'NetworkPolicy', 'allow-object-storage', 'lobstack-backup');
    const [rule] = storage.spec.egress;
    expect(rule.ports).toEqual([{ port: 443, protocol: 'TCP' }]);
    expect(rule.to[0].ipBlock.cidr).toBe('0.0.0.0/0');
    expect(rule.to[0].ipBlock.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16']));
    expect(() => find(policies, 'NetworkPolicy', 'allow-kube-apiserver', 'lobstack-backup')).not.toThrow();
  });

  it('on EKS opens the Pod Identity agent (169.254.170.23:80) to the backup writers only, not link-local as a whole', () => {
    const policies = ofKind(exampleObjects('lobstack-aws'), 'NetworkPolicy');
    const velero: Any = find(policies, 'NetworkPolicy', 'allow-pod-identity-agent', 'lobstack-backup');
    expect(velero.spec.egress).toEqual([
      { ports: [{ port: 80, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '169.254.170.23/32' } }] },
    ]);
    const vault: Any = find(policies, 'NetworkPolicy', 'allow-pod-identity-agent', 'lobstack-vault');
    expect(vault.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'vault-raft-snapshot' } });
    expect(policies.filter((p) => p.metadata.name === 'allow-pod-identity-agent')).toHaveLength(2);
  });

  it('opens HTTPS egress in the vault namespace for the snapshot job only', () => {
    const upload: Any = find(policies, 'NetworkPolicy', 'allow-snapshot-upload', 'lobstack-vault');
    expect(upload.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'vault-raft-snapshot' } });
  });
});

describe('environments without backups', () => {
  it('render no backup objects and no backup namespace', () => {
    const spec = stackSpec('staging');
    const objects = objectsOf({ ...spec, backup: undefined, addons: { ...spec.addons, velero: { enabled: false } } });
    expect(ofKind(objects, 'Schedule')).toEqual([]);
    expect(ofKind(objects, 'CronJob').filter((c) => c.metadata.name === 'vault-raft-snapshot')).toEqual([]);
  });
});
