/**
 * Workload and cluster-object kinds beyond the platform's own API and agents:
 * stateful data services, scheduled jobs, storage and snapshot classes, priority
 * classes and cluster-wide read-only access. The reference systems in
 * ../shared/seeds/ (002 PostgreSQL/Redis, 003 evaluation jobs and priorities, 004
 * storage classes and a read-only role) are expressed with these.
 */
import { z } from 'zod';
import { dnsLabel, imageRef, memory, resources, strict } from './primitives';

const CRON = /^(@(yearly|annually|monthly|weekly|daily|hourly)|(\S+\s+){4}\S+)$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const port = z.number().int().min(1).max(65535);
const secretRef = strict({ name: dnsLabel, keys: z.array(z.string().min(1)).min(1) });

/** A StatefulSet with persistent storage, reachable only by the workloads listed in `clients`. */
export const statefulService = strict({
  name: dnsLabel,
  /** A tenant name or a platform namespace key. */
  namespace: dnsLabel,
  image: imageRef,
  port,
  replicas: z.number().int().min(1).default(1),
  resources,
  storage: strict({
    size: memory,
    /** @default - the cluster's default StorageClass */
    storageClass: dnsLabel.optional(),
    mountPath: z.string().startsWith('/'),
  }),
  /** Names of services (or `api`) whose pods may connect; nobody else can. */
  clients: z.array(dnsLabel).min(1),
  /** Non-root UID of the image (postgres and redis images use 999). */
  runAsUser: z.number().int().min(1).default(999),
  /** Writable directories besides the data volume (root filesystem is read-only). */
  scratchPaths: z.array(z.string().startsWith('/')).default(['/tmp']),
  args: z.array(z.string()).default([]),
  env: z.record(z.string().regex(ENV_NAME), z.string()).default({}),
  secrets: z.array(secretRef).default([]),
  /** @default - the pool with role `data`, else the API pool */
  pool: dnsLabel.optional(),
});

/** A CronJob, optionally right-sized by a VPA. */
export const job = strict({
  name: dnsLabel.max(52, { error: 'must be at most 52 characters (CronJob names)' }),
  namespace: dnsLabel,
  image: imageRef,
  schedule: z.string().regex(CRON, { error: 'must be a cron schedule such as "0 2 * * *" or @daily' }),
  command: z.array(z.string()).default([]),
  resources,
  runAsUser: z.number().int().min(1000).default(10001),
  scratchPaths: z.array(z.string().startsWith('/')).default(['/tmp']),
  backoffLimit: z.number().int().min(0).default(2),
  activeDeadlineSeconds: z.number().int().min(1).default(3600),
  /** VPA for the job's pods; `Off` only recommends. */
  vpa: strict({ updateMode: z.enum(['Off', 'Initial', 'Recreate', 'Auto']) }).optional(),
  gpus: z.number().int().min(0).default(0),
  /** @default batch */
  priorityClass: dnsLabel.default('batch'),
  env: z.record(z.string().regex(ENV_NAME), z.string()).default({}),
  secrets: z.array(secretRef).default([]),
  /** @default - the pool with role `batch`, else the API pool */
  pool: dnsLabel.optional(),
});

export const storageClass = strict({
  name: dnsLabel,
  provisioner: z.string().min(1),
  parameters: z.record(z.string(), z.string()).default({}),
  reclaimPolicy: z.enum(['Delete', 'Retain']).default('Delete'),
  volumeBindingMode: z.enum(['WaitForFirstConsumer', 'Immediate']).default('WaitForFirstConsumer'),
  allowVolumeExpansion: z.boolean().default(true),
  /** Marks the cluster default (at most one). */
  default: z.boolean().default(false),
});

export const volumeSnapshotClass = strict({
  name: dnsLabel,
  driver: z.string().min(1),
  deletionPolicy: z.enum(['Delete', 'Retain']).default('Retain'),
  parameters: z.record(z.string(), z.string()).default({}),
});

export const priorityClass = strict({
  name: dnsLabel,
  value: z.number().int().min(-2147483648).max(1000000000),
  description: z.string().min(1),
  preemptionPolicy: z.enum(['PreemptLowerPriority', 'Never']).default('PreemptLowerPriority'),
});

export const access = strict({
  /** Groups bound cluster-wide to a read-only role (pods, services, deployments: get/list/watch; never secrets). */
  clusterReadOnlyGroups: z.array(z.string().min(1)).default([]),
});

/**
 * The platform's PriorityClasses, all below the built-in system-* classes (2e9) so
 * that DNS, CNI and kube-proxy always win, and none global-default (pods without a
 * class keep priority 0). Environments may add more (`priorityClasses`).
 * - platform-critical: the control-plane API; preempts agents and batch under pressure.
 * - agent: agent sessions and the warm pool; preempts batch, never the API.
 * - batch: work that waits rather than preempt anything.
 */
export const PLATFORM_PRIORITY_CLASSES: readonly PriorityClassSpec[] = [
  {
    name: 'platform-critical',
    value: 1_000_000,
    preemptionPolicy: 'PreemptLowerPriority',
    description: 'Control-plane API and platform services: scheduled before agents and batch work.',
  },
  {
    name: 'agent',
    value: 100_000,
    preemptionPolicy: 'PreemptLowerPriority',
    description: 'Agent session pods and the warm pool: may preempt batch work, never the platform.',
  },
  {
    name: 'batch',
    value: 1_000,
    preemptionPolicy: 'Never',
    description: 'Batch work: waits for capacity instead of preempting anything.',
  },
];

export type StatefulServiceSpec = z.output<typeof statefulService>;
export type JobSpec = z.output<typeof job>;
export type StorageClassSpec = z.output<typeof storageClass>;
export type VolumeSnapshotClassSpec = z.output<typeof volumeSnapshotClass>;
export type PriorityClassSpec = z.output<typeof priorityClass>;
