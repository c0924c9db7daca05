/**
 * Backup and restore in the environment model: recovery objectives (RPO, RTO), the
 * S3-compatible object storage every backup goes to, and the schedules of the three
 * things a restore needs: etcd (k3s's embedded etcd; EKS's is managed by AWS), volumes
 * and Kubernetes objects (Velero), and Vault's Raft data.
 *
 * Credentials never appear here: they come from `pulumi config set --secret
 * agent-platform:backupAccessKeyId` / `backupSecretAccessKey` (hcloud), or from the
 * workload identities (IRSA) of the backup pods on AWS.
 */
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { dnsLabel, positiveInt, strict } from './primitives';

/** `15m`, `1h`, `7d` as minutes. */
export const DURATION = /^(\d+)(m|h|d)$/;
const MINUTES = { m: 1, h: 60, d: 1440 } as const;

export function durationMinutes(value: string): number {
  const m = DURATION.exec(value);
  if (!m) return NaN;
  return Number(m[1]) * MINUTES[m[2] as keyof typeof MINUTES];
}

const duration = z
  .string()
  .regex(DURATION, { error: 'must be a duration in minutes, hours or days (15m, 1h, 7d)' })
  .refine((v) => durationMinutes(v) > 0, { error: 'must be longer than zero' });

/** A five-field cron expression in UTC (what k3s, Velero and Kubernetes CronJobs read). */
const cron = z.string().refine(isCron, {
  error: 'must be a five-field cron expression (minute hour day-of-month month day-of-week), e.g. "*/15 * * * *"',
});

function isCron(expression: string): boolean {
  if (expression.trim().split(/\s+/).length !== 5) return false;
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The longest time between two consecutive runs of a cron schedule, in minutes: the
 * most data a restore from its latest backup can lose. Schedules that restrict neither
 * day-of-month nor month repeat every week: their runs are laid out on one week's
 * minutes and the widest gap (across the week's end too) is measured directly. Others
 * are enumerated over a year from a fixed date with cron-parser (no clock read).
 * Results are remembered per expression: synth asks for the same few schedules often.
 */
export function worstCaseIntervalMinutes(expression: string): number {
  let worst = intervals.get(expression);
  if (worst === undefined) {
    worst = measureWorstInterval(expression);
    intervals.set(expression, worst);
  }
  return worst;
}

const intervals = new Map<string, number>();
const WEEK = 7 * 1440;

function measureWorstInterval(expression: string): number {
  const { fields } = CronExpressionParser.parse(expression, { tz: 'UTC' });
  if (!fields.dayOfMonth.isWildcard || !fields.month.isWildcard) return enumeratedWorstInterval(expression);
  const days = new Set(fields.dayOfWeek.values.map((d) => Number(d) % 7));
  const runs: number[] = [];
  for (const day of [...days].sort((a, b) => a - b)) {
    for (const hour of fields.hour.values)
      for (const minute of fields.minute.values) runs.push(day * 1440 + hour * 60 + minute);
  }
  runs.sort((a, b) => a - b);
  let worst = runs[0]! + WEEK - runs[runs.length - 1]!;
  for (let i = 1; i < runs.length; i++) worst = Math.max(worst, runs[i]! - runs[i - 1]!);
  return worst;
}

function enumeratedWorstInterval(expression: string): number {
  const start = new Date('2026-01-05T00:00:00Z');
  const end = new Date('2027-01-04T00:00:00Z');
  const runs = CronExpressionParser.parse(expression, {
    currentDate: new Date(start.getTime() - 1),
    endDate: end,
    tz: 'UTC',
  });
  const times: number[] = [];
  while (runs.hasNext()) times.push(runs.next().getTime());
  if (times.length < 2) return Infinity;
  let worst = 0;
  for (let i = 1; i < times.length; i++) worst = Math.max(worst, times[i]! - times[i - 1]!);
  return worst / 60_000;
}

/** `90` → `1h 30m`: minutes as a reader says them. */
export function formatMinutes(minutes: number): string {
  if (!Number.isFinite(minutes)) return 'never';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : ''].filter(Boolean).join(' ') || '0m';
}

// S3 bucket naming rules (3–63 characters, lowercase letters, digits, dots and hyphens).
const bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
  error: 'must be an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens',
});

const storage = strict({
  /**
   * S3 API endpoint. Required on hcloud (Hetzner Object Storage, e.g.
   * `https://fsn1.your-objectstorage.com`). @default - AWS S3 of the cluster's region on aws
   */
  endpoint: z
    .url({ protocol: /^https$/, error: 'must be an https:// URL (backups never travel in plaintext)' })
    .optional(),
  /** @default - the cloud's region on aws; `us-east-1` for other S3-compatible endpoints */
  region: z.string().min(1).optional(),
  /** Must exist (created out of band, with versioning or object lock as your policy wants). */
  bucket,
  /** Folder inside the bucket. @default - `<platform name>-<stage>` */
  prefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/)
    .optional(),
});

const volumeSchedule = strict({
  /** Velero Schedule name. */
  name: dnsLabel,
  /** Namespace keys (`control-plane`, a tenant or a stateful service's namespace) or names. */
  namespaces: z.array(z.string().min(1)).min(1),
  schedule: cron,
  /** How long each backup is kept. */
  ttl: duration.default('30d'),
});

export const backup = strict({
  /** Recovery point objective: the most recent data a restore may lose. */
  rpo: duration.default('24h'),
  /** Recovery time objective: how long a restore may take (the runbook's budget). */
  rto: duration.default('4h'),
  storage,
  /** k3s embedded etcd snapshots (hcloud only; EKS runs etcd for you). */
  etcd: strict({
    schedule: cron.default('0 * * * *'),
    /** Snapshots kept (k3s prunes the rest, locally and in the bucket). */
    retention: positiveInt.default(48),
  }).prefault({}),
  /** Velero schedules; every namespace holding a stateful service must be covered. */
  volumes: z.array(volumeSchedule).default([]),
  /** Vault Raft snapshots, taken with a Kubernetes-auth role, never a root token. */
  vault: strict({
    schedule: cron.default('0 * * * *'),
    /** Snapshots kept in the bucket. */
    retention: positiveInt.default(48),
  }).prefault({}),
});

export type BackupInput = z.input<typeof backup>;
export type BackupSettings = z.output<typeof backup>;

/** Where and how one environment's backups are stored: names every layer shares. */
export interface BackupLayout {
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  /** Folder of this environment inside the bucket. */
  readonly prefix: string;
  /** Folders of each kind of backup, under the prefix. */
  readonly folders: { readonly etcd: string; readonly velero: string; readonly vault: string };
}

/** Secrets holding the object-storage credentials (hcloud; created by infra/ from Pulumi secrets). */
export const BACKUP_SECRETS = {
  /** kube-system; read by k3s (`etcd-s3-config-secret`) with the etcd-s3-* keys. */
  etcd: 'k3s-etcd-snapshot-s3-config',
  /** The backup namespace; key `cloud`, an AWS credentials file (velero-plugin-for-aws). */
  velero: 'velero-credentials',
  /** The vault namespace; AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for the snapshot upload. */
  vault: 'vault-snapshot-s3',
} as const;

/** Names of the in-cluster backup objects. */
export const BACKUP_NAMES = {
  veleroRelease: 'velero',
  /** Velero's server ServiceAccount (set in its values; EKS Pod Identity trusts this name). */
  veleroServiceAccount: 'velero',
  /** Velero's BackupStorageLocation (the chart creates it from values). */
  storageLocation: 'default',
  vaultSnapshotJob: 'vault-raft-snapshot',
  vaultSnapshotServiceAccount: 'vault-snapshot',
  /** The Vault Kubernetes-auth role the snapshot job logs in with (policy: read sys/storage/raft/snapshot). */
  vaultSnapshotRole: 'raft-snapshot',
} as const;

export function backupLayout(
  settings: BackupSettings,
  platform: {
    readonly name: string;
    readonly stage: string;
    readonly cloud: { readonly provider: string; readonly region: string };
  },
): BackupLayout {
  const { storage } = settings;
  const region = storage.region ?? (platform.cloud.provider === 'aws' ? platform.cloud.region : 'us-east-1');
  const prefix = storage.prefix ?? `${platform.name}-${platform.stage}`;
  return {
    endpoint: storage.endpoint ?? `https://s3.${region}.amazonaws.com`,
    region,
    bucket: storage.bucket,
    prefix,
    folders: { etcd: `${prefix}/etcd`, velero: `${prefix}/velero`, vault: `${prefix}/vault` },
  };
}
