/**
 * The restore runbook of one environment, as Markdown: the exact commands to restore
 * etcd from a named snapshot (k3s), a namespace and its volumes from Velero, and Vault
 * from a Raft snapshot, with this environment's bucket, folders, endpoints, namespaces
 * and names filled in from the same functions the charts and infra/ use. Credentials
 * are never written: the commands read them from Pulumi's secret config or your own
 * cloud login at run time.
 */
import {
  BACKUP_NAMES,
  backupLayout,
  formatMinutes,
  namespaceOf,
  worstCaseIntervalMinutes,
  durationMinutes,
  type BackupLayout,
  type EnvironmentSpec,
} from '../../config';
import { cloudProfile } from '../../config/clouds';
import { serverName } from '../../infra/hcloud/names';

const fence = (lines: readonly string[]) => ['```sh', ...lines, '```', ''];

/** `--endpoint-url` for S3-compatible storage; nothing on AWS S3 itself. */
function endpointFlag(spec: EnvironmentSpec, layout: BackupLayout): string {
  return spec.backup?.storage.endpoint ? ` --endpoint-url ${layout.endpoint}` : '';
}

function credentialsSection(spec: EnvironmentSpec): string[] {
  if (cloudProfile(spec.cloud.provider).backupCredentials === 'workload-identity') {
    return [
      "Use your own AWS login (SSO or a profile) with read access to the bucket; the cluster's",
      'backup roles (EKS Pod Identity) are not for people.',
      '',
    ];
  }
  return [
    "The object storage keys live only in the stack's secret config. Export them in the shell you",
    'restore from (they are never written to disk by these commands):',
    '',
    ...fence([
      `export AWS_ACCESS_KEY_ID="$(pulumi config get agent-platform:backupAccessKeyId --stack ${spec.stack})"`,
      `export AWS_SECRET_ACCESS_KEY="$(pulumi config get agent-platform:backupSecretAccessKey --stack ${spec.stack})"`,
    ]),
  ];
}

function etcdSection(spec: EnvironmentSpec, layout: BackupLayout): string[] {
  if (cloudProfile(spec.cloud.provider).controlPlane.kind === 'managed') {
    return ['## 1. etcd', '', 'EKS runs etcd for you: AWS backs it up; there is nothing to restore here.', ''];
  }
  const servers = spec.nodePools.filter((p) => p.role === 'control-plane');
  const pool = servers[0]!;
  const names = Array.from({ length: pool.min }, (_, i) => serverName(spec, pool.name, i));
  const s3 = [
    '--etcd-s3',
    `--etcd-s3-endpoint=${new URL(layout.endpoint).host}`,
    `--etcd-s3-region=${layout.region}`,
    `--etcd-s3-bucket=${layout.bucket}`,
    `--etcd-s3-folder=${layout.folders.etcd}`,
  ].join(' ');
  return [
    '## 1. etcd (k3s embedded etcd)',
    '',
    `Snapshots are taken on "${spec.backup!.etcd.schedule}" (UTC) by every server, compressed, and kept`,
    `${spec.backup!.etcd.retention} at a time in \`s3://${layout.bucket}/${layout.folders.etcd}/\`.`,
    'k3s reads the keys from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (exported above; use `sudo -E`).',
    '',
    `List them (on ${names[0]}):`,
    '',
    ...fence([`sudo -E k3s etcd-snapshot ls ${s3}`]),
    'Restore SNAPSHOT (docs.k3s.io, "Restoring a Snapshot to Existing Nodes"): stop k3s on every server,',
    `reset ${names[0]} from the snapshot, start it, then wipe and restart the others so they rejoin.`,
    '',
    ...fence([
      `# on ${names.join(', ')}:`,
      'sudo systemctl stop k3s',
      `# on ${names[0]}:`,
      `sudo -E k3s server --cluster-reset --cluster-reset-restore-path=SNAPSHOT ${s3}`,
      'sudo systemctl start k3s',
      ...(names.length > 1
        ? [
            `# on ${names.slice(1).join(', ')}:`,
            'sudo rm -rf /var/lib/rancher/k3s/server/db/',
            'sudo systemctl start k3s',
          ]
        : []),
    ]),
  ];
}

function veleroSection(spec: EnvironmentSpec): string[] {
  const ns = namespaceOf(spec, 'backup').name;
  const schedules = spec.backup!.volumes;
  const lines = ['## 2. Namespaces and volumes (Velero)', ''];
  if (schedules.length === 0) {
    return [...lines, 'No Velero schedule is declared (`backup.volumes`): there is nothing to restore.', ''];
  }
  lines.push(
    `Velero runs in \`${ns}\` and writes to its \`${BACKUP_NAMES.storageLocation}\` location. To restore`,
    'a namespace, delete what is broken in it first (Velero does not overwrite existing objects), then:',
    '',
  );
  for (const s of schedules) {
    const included = s.namespaces.map((k) => spec.namespaces.find((n) => n.key === k)?.name ?? k);
    lines.push(
      `### Schedule \`${s.name}\`: ${included.join(', ')} on "${s.schedule}", kept ${s.ttl}`,
      '',
      ...fence([
        `velero backup get -n ${ns} --selector velero.io/schedule-name=${s.name}`,
        `velero restore create --from-backup BACKUP -n ${ns} --include-namespaces ${included.join(',')} --wait`,
        `velero restore describe -n ${ns} --details RESTORE`,
      ]),
    );
  }
  return lines;
}

function vaultSection(spec: EnvironmentSpec, layout: BackupLayout): string[] {
  if (!spec.addons.vault.enabled) return [];
  const ns = namespaceOf(spec, 'vault').name;
  const endpoint = endpointFlag(spec, layout);
  return [
    '## 3. Vault (Raft snapshot)',
    '',
    `The \`${BACKUP_NAMES.vaultSnapshotJob}\` CronJob in \`${ns}\` saves a snapshot on "${spec.backup!.vault.schedule}" (UTC)`,
    `with the Kubernetes-auth role \`${BACKUP_NAMES.vaultSnapshotRole}\` and keeps the newest ${spec.backup!.vault.retention}`,
    `in \`s3://${layout.bucket}/${layout.folders.vault}/\`. Restoring needs a Vault token allowed to`,
    '`sys/storage/raft/snapshot-force` (an operator token, never a long-lived root token).',
    '',
    ...fence([
      `aws s3 ls s3://${layout.bucket}/${layout.folders.vault}/ --region ${layout.region}${endpoint}`,
      `aws s3 cp s3://${layout.bucket}/${layout.folders.vault}/SNAPSHOT ./vault.snap --region ${layout.region}${endpoint}`,
      `kubectl -n ${ns} port-forward svc/vault-active 8200:8200 &`,
      'export VAULT_ADDR=http://127.0.0.1:8200',
      'vault login',
      'vault operator raft snapshot restore -force ./vault.snap',
    ]),
  ];
}

function objectivesSection(spec: EnvironmentSpec): string[] {
  const b = spec.backup!;
  const rows: [string, string][] = [];
  if (cloudProfile(spec.cloud.provider).controlPlane.kind === 'servers') rows.push(['etcd', b.etcd.schedule]);
  for (const v of b.volumes) rows.push([`Velero \`${v.name}\``, v.schedule]);
  if (spec.addons.vault.enabled) rows.push(['Vault', b.vault.schedule]);
  return [
    `Recovery point objective **${b.rpo}**, recovery time objective **${b.rto}**. Each schedule's`,
    'longest gap between two runs (the most data a restore can lose), checked at synth against the RPO:',
    '',
    '| backup | schedule (UTC) | worst case |',
    '| --- | --- | --- |',
    ...rows.map(([what, cron]) => `| ${what} | \`${cron}\` | ${formatMinutes(worstCaseIntervalMinutes(cron))} |`),
    '',
    `Budget for the whole restore: ${formatMinutes(durationMinutes(b.rto))}; restore etcd first (the cluster's`,
    'objects), then Vault (secrets the workloads read at start), then namespaces and volumes.',
    '',
  ];
}

/** The runbook of `spec`, or undefined when the environment declares no backups. */
export function restoreRunbook(spec: EnvironmentSpec): string | undefined {
  if (!spec.backup) return undefined;
  const layout = backupLayout(spec.backup, spec);
  return [
    `# Restore runbook: ${spec.stack} (${spec.name}, ${spec.cloud.provider})`,
    '',
    `Generated by \`npm run runbook -- --stack ${spec.stack}\` from \`Pulumi.${spec.stack}.yaml\`; do not edit.`,
    '',
    ...objectivesSection(spec),
    `Backups go to \`s3://${layout.bucket}/${layout.prefix}/\` (${layout.endpoint}, region ${layout.region}).`,
    '',
    ...credentialsSection(spec),
    ...etcdSection(spec, layout),
    ...veleroSection(spec),
    ...vaultSection(spec, layout),
  ].join('\n');
}
