import type { Construct } from 'constructs';
import { backupLayout, cloudProfile, namespaceOf, schedulingFor, type EnvironmentSpec } from '../../config';
import { VaultRaftSnapshot } from '../constructs/vault-raft-snapshot';
import { VeleroSchedule } from '../constructs/velero-schedule';
import { VAULT_PORT } from '../names';
import { PlatformChart } from './platform-chart';

/** Address of the active Vault server (the vault chart's `vault-active` Service in HA mode). */
export function vaultActiveAddress(spec: EnvironmentSpec): string {
  // Vault serves only TLS (infra/addons/vault.ts); the job verifies it with the internal CA (VAULT_CA_SECRET).
  return `https://vault-active.${namespaceOf(spec, 'vault').name}.svc:${VAULT_PORT}`;
}

/**
 * Backups (config/backup.ts): the Velero schedules of the model, and the Vault Raft
 * snapshot job. etcd snapshots are k3s's own (infra/hcloud), not objects.
 */
export class BackupChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'backup' });
    const backup = spec.backup!;
    const layout = backupLayout(backup, spec);
    const veleroNs = namespaceOf(spec, 'backup').name;
    const profile = cloudProfile(spec.cloud.provider);
    const fileSystemBackup = profile.volumeBackups === 'file-system';
    for (const schedule of spec.addons.velero.enabled ? backup.volumes : []) {
      new VeleroSchedule(this, `schedule-${schedule.name}`, {
        namespace: veleroNs,
        name: schedule.name,
        includedNamespaces: schedule.namespaces.map((ns) => spec.namespaces.find((n) => n.key === ns)?.name ?? ns),
        schedule: schedule.schedule,
        ttl: schedule.ttl,
        fileSystemBackup,
      });
    }
    if (spec.addons.vault.enabled) {
      const { nodeSelector, tolerations } = schedulingFor(spec.placement.system);
      new VaultRaftSnapshot(this, 'vault-raft-snapshot', {
        namespace: namespaceOf(spec, 'vault').name,
        schedule: backup.vault.schedule,
        retention: backup.vault.retention,
        layout,
        vaultAddress: vaultActiveAddress(spec),
        credentials: profile.backupCredentials,
        scheduling: { nodeSelector: { ...nodeSelector }, tolerations: [...tolerations] },
      });
    }
  }
}
