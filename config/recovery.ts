/**
 * Proof, not hope: every backup schedule of an environment must meet its declared RPO.
 * A schedule's worst case is the longest gap between two of its runs (config/backup.ts);
 * data written just after a run is lost up to that long. Each refusal shows the
 * arithmetic and what would fit.
 */
import { durationMinutes, formatMinutes, worstCaseIntervalMinutes, type BackupSettings } from './backup';
import { cloudProfile, type Cloud } from './clouds';
import type { ConfigIssue } from './errors';

/** What the recovery rules read of an environment. */
export interface RecoveryFacts {
  readonly provider: Cloud;
  readonly stage: string;
  readonly backup?: BackupSettings;
  readonly vaultEnabled: boolean;
  /** addons.velero.enabled: volume schedules need Velero. */
  readonly veleroEnabled: boolean;
  /** Namespace key → full name, for every namespace the environment creates. */
  readonly namespaces: ReadonlyMap<string, string>;
  /** CSI drivers that have a VolumeSnapshotClass (EKS volumes are backed up as CSI snapshots). */
  readonly snapshotDrivers: readonly string[];
  /** Stateful services: name and namespace key (their volumes need Velero). */
  readonly statefulServices: readonly { readonly name: string; readonly namespace: string }[];
}

/** The EBS CSI driver: EKS volumes (infra/aws/ebs-csi-driver.ts). */
export const EBS_CSI_DRIVER = 'ebs.csi.aws.com';

const issue = (path: PropertyKey[], message: string, input?: unknown): ConfigIssue => ({
  path,
  message,
  input,
  hasInput: input !== undefined,
});

/** The issue when `schedule` can lose more than the RPO; undefined when it meets it. */
function rpoIssue(
  path: PropertyKey[],
  what: string,
  schedule: string,
  rpo: string,
  advice = '',
): ConfigIssue | undefined {
  const worst = worstCaseIntervalMinutes(schedule);
  const limit = durationMinutes(rpo);
  if (worst <= limit) return undefined;
  return issue(
    path,
    `cannot meet backup.rpo (${rpo}): ${what} runs "${schedule}", so up to ${formatMinutes(worst)} of data ` +
      `is lost between two runs, and ${formatMinutes(worst)} > ${formatMinutes(limit)}. ` +
      `Run it at least every ${formatMinutes(limit)} (e.g. "${cronEvery(limit)}") or raise backup.rpo${advice}`,
    schedule,
  );
}

/** A cron expression that runs at least every `minutes` (for the advice in messages). */
export function cronEvery(minutes: number): string {
  if (minutes < 60) {
    const step = [30, 20, 15, 10, 5, 1].find((s) => s <= minutes) ?? 1;
    return `*/${step} * * * *`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const step = [12, 8, 6, 4, 3, 2, 1].find((s) => s <= hours) ?? 1;
    return step === 1 ? '0 * * * *' : `0 */${step} * * *`;
  }
  return '0 0 * * *';
}

/** Every issue of the backup settings against the rest of the environment. */
export function recoveryIssues(facts: RecoveryFacts): ConfigIssue[] {
  const { backup } = facts;
  if (!backup) {
    return facts.stage === 'prod'
      ? [
          issue(
            ['backup'],
            'is required in prod: declare rpo, rto, the object storage and the schedules (see docs/backup.md)',
          ),
        ]
      : [];
  }
  const issues: ConfigIssue[] = [];
  if (facts.provider === 'hcloud' && backup.storage.endpoint === undefined) {
    issues.push(
      issue(
        ['backup', 'storage', 'endpoint'],
        'is required on hcloud: the S3 endpoint of the Object Storage bucket (e.g. https://fsn1.your-objectstorage.com)',
      ),
    );
  }
  // Where servers run the control plane, etcd snapshots are ours (k3s) and must meet the RPO.
  if (cloudProfile(facts.provider).controlPlane.kind === 'servers') {
    const etcd = rpoIssue(['backup', 'etcd', 'schedule'], 'the etcd snapshot', backup.etcd.schedule, backup.rpo);
    if (etcd) issues.push(etcd);
  }
  if (facts.vaultEnabled) {
    const vault = rpoIssue(
      ['backup', 'vault', 'schedule'],
      'the Vault Raft snapshot',
      backup.vault.schedule,
      backup.rpo,
    );
    if (vault) issues.push(vault);
  }
  if (!facts.veleroEnabled && (backup.volumes.length > 0 || facts.statefulServices.length > 0)) {
    issues.push(
      issue(
        ['addons', 'velero', 'enabled'],
        'must not be false: backup.volumes and stateful services need Velero',
        false,
      ),
    );
  }
  issues.push(...volumeIssues(facts, backup));
  const needsSnapshots =
    cloudProfile(facts.provider).volumeBackups === 'csi-snapshots' && facts.statefulServices.length > 0;
  if (needsSnapshots && !facts.snapshotDrivers.includes(EBS_CSI_DRIVER)) {
    issues.push(
      issue(
        ['volumeSnapshotClasses'],
        `must include a class for ${EBS_CSI_DRIVER}: on EKS Velero backs volumes up as CSI snapshots of the EBS driver`,
      ),
    );
  }
  return issues;
}

function volumeIssues(facts: RecoveryFacts, backup: BackupSettings): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const known = [...facts.namespaces.keys()];
  const names = new Set(backup.volumes.map((v) => v.name));
  if (names.size !== backup.volumes.length) {
    issues.push(issue(['backup', 'volumes'], 'must give each schedule its own name'));
  }
  backup.volumes.forEach((v, i) =>
    v.namespaces.forEach((ns, j) => {
      if (!facts.namespaces.has(ns) && ![...facts.namespaces.values()].includes(ns)) {
        issues.push(
          issue(
            ['backup', 'volumes', i, 'namespaces', j],
            `is not a namespace of this environment (have: ${known.join(', ')})`,
            ns,
          ),
        );
      }
    }),
  );
  const walAdvice =
    `; for a database, an RPO below a practical backup interval needs continuous WAL archiving ` +
    `(e.g. wal-g or pgBackRest to the same bucket), which only the database itself can do`;
  // Every schedule meets the RPO: whatever it backs up may be what a restore needs.
  backup.volumes.forEach((v, i) => {
    const databases = facts.statefulServices.filter((s) => coversNamespace(v.namespaces, s.namespace, facts));
    const what =
      databases.length > 0
        ? `the volume backup of ${databases.map((s) => `"${s.name}" (namespace ${s.namespace})`).join(', ')}`
        : `the Velero schedule "${v.name}"`;
    const problem = rpoIssue(
      ['backup', 'volumes', i, 'schedule'],
      what,
      v.schedule,
      backup.rpo,
      databases.length > 0 ? walAdvice : '',
    );
    if (problem) issues.push(problem);
  });
  for (const service of facts.statefulServices) {
    if (backup.volumes.some((v) => coversNamespace(v.namespaces, service.namespace, facts))) continue;
    issues.push(
      issue(
        ['backup', 'volumes'],
        `must cover namespace "${service.namespace}": stateful service "${service.name}" keeps data on volumes there`,
      ),
    );
  }
  return issues;
}

/** Whether a schedule's namespaces (keys or names) include the namespace with this key. */
function coversNamespace(namespaces: readonly string[], key: string, facts: RecoveryFacts): boolean {
  return namespaces.includes(key) || namespaces.includes(facts.namespaces.get(key) ?? key);
}
