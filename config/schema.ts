/**
 * The environment model: one zod schema for a whole environment, read from the
 * `agent-platform:platform` key of a `Pulumi.<stack>.yaml` by both engines.
 *
 * Shape lives here; dial settings live in the stack files. Every object is
 * strict (a typo is an error, never ignored). Defaults are applied once, here,
 * so that charts, infra and the gate all see the same resolved values.
 */
import { z } from 'zod';
import { CLOUDS } from './clouds/types';
import {
  bytesOrNaN as bytes,
  cidr,
  cpu,
  cpuMemory,
  dnsLabel,
  imageRef,
  labelKey,
  labelValue,
  memory,
  nonNegativeInt,
  percent,
  positiveInt,
  refineLimitsAtLeastRequests,
  resources,
  strict,
} from './primitives';
import {
  DEFAULT_PDB_MIN_AVAILABLE,
  limitRangeOrderViolations,
  limitsBelowRequests,
  minAvailableBlocksDrain,
} from './rules';
import { access, job, priorityClass, statefulService, storageClass, volumeSnapshotClass } from './workloads';
import { nodeLabelKeyProblem, nodeTaintKeyProblem } from './node-labels';
import { SUPPORTED_KUBERNETES_MINORS } from './versions';
import { edgeAddonToggles, edgeFields } from './schema-edge';
import { backup } from './backup';
import { simulationSchema } from './simulation';

export * from './primitives';
export * from './schema-edge';
export type { Resources } from './primitives';

/** min/max replica bounds; max must be >= min. */
const replicaRange = (minimum: number) =>
  strict({ min: z.number().int().min(minimum), max: positiveInt }).superRefine((r, ctx) => {
    if (r.max < r.min) {
      ctx.addIssue({ code: 'custom', path: ['max'], input: r.max, message: `must be >= min (${r.min})` });
    }
  });

// ---------------------------------------------------------------------------
// Cloud and node pools
// ---------------------------------------------------------------------------

export { CLOUDS };
export const STAGES = ['dev', 'staging', 'prod'] as const;
export const POOL_ROLES = ['control-plane', 'system', 'api', 'agents', 'data', 'gpu', 'batch', 'general'] as const;
export type PoolRole = (typeof POOL_ROLES)[number];
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

const cloud = strict({
  provider: z.enum(CLOUDS),
  /** hcloud: network zone (eu-central); aws: region (us-east-1). */
  region: z.string().min(1),
  /** hcloud: locations (fsn1, nbg1, hel1); aws: availability zones. Spread targets. */
  locations: z.array(z.string().min(1)).min(1),
  /** Private network (hcloud) or VPC (aws) range. */
  networkCidr: cidr.default('10.0.0.0/16'),
});

const taint = strict({
  key: labelKey,
  value: labelValue.optional(),
  effect: z.enum(TAINT_EFFECTS),
});
export type Taint = z.output<typeof taint>;

const nodePool = strict({
  /** Stable identity: node names, subnets and labels derive from it; never rename a live pool. */
  name: dnsLabel.max(20, { error: 'must be at most 20 characters (it prefixes node names)' }),
  role: z.enum(POOL_ROLES),
  instanceType: z.string().min(1),
  /** aws: more types of the same size for the node group (spot diversification). */
  alternativeInstanceTypes: z.array(z.string().min(1)).default([]),
  min: nonNegativeInt,
  max: positiveInt,
  /** @default min */
  initial: nonNegativeInt.optional(),
  /** Extra node labels; the contract's pool/role labels are always added. */
  labels: z.record(labelKey, labelValue).default({}),
  /** @default - the role's default taint (see config/contract.ts); [] for none */
  taints: z.array(taint).optional(),
  capacity: z.enum(['on-demand', 'spot']).default('on-demand'),
  /** @default - true for role `agents` */
  gvisor: z.boolean().optional(),
  /** @default false; true requires an instance type with GPUs */
  gpu: z.boolean().default(false),
  /** @default - all of cloud.locations */
  locations: z.array(z.string().min(1)).min(1).optional(),
  /** Root volume in GiB (aws). */
  volumeSizeGiB: z.number().int().min(20).max(16384).default(50),
}).superRefine((p, ctx) => {
  if (p.max < p.min) {
    ctx.addIssue({ code: 'custom', path: ['max'], input: p.max, message: `must be >= min (${p.min})` });
  }
  if (p.initial !== undefined && (p.initial < p.min || p.initial > p.max)) {
    ctx.addIssue({
      code: 'custom',
      path: ['initial'],
      input: p.initial,
      message: `must be between min (${p.min}) and max (${p.max})`,
    });
  }
  // What the kubelet accepts at registration (config/node-labels.ts).
  for (const key of Object.keys(p.labels)) {
    const problem = nodeLabelKeyProblem(key);
    if (problem) ctx.addIssue({ code: 'custom', path: ['labels', key], input: key, message: problem });
  }
  (p.taints ?? []).forEach((t, i) => {
    const problem = nodeTaintKeyProblem(t.key);
    if (problem) ctx.addIssue({ code: 'custom', path: ['taints', i, 'key'], input: t.key, message: problem });
  });
  if (p.gvisor === false && p.role === 'agents') {
    ctx.addIssue({
      code: 'custom',
      path: ['gvisor'],
      input: p.gvisor,
      message: 'must be true for role "agents": agent pods run under the gVisor RuntimeClass',
    });
  }
});

// ---------------------------------------------------------------------------
// Namespaces and guardrails
// ---------------------------------------------------------------------------

export const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

const quota = strict({
  requestsCpu: cpu,
  requestsMemory: memory,
  limitsCpu: cpu,
  limitsMemory: memory,
  pods: positiveInt,
  services: nonNegativeInt.default(20),
  persistentVolumeClaims: nonNegativeInt.default(10),
  requestsStorage: memory.default('100Gi'),
}).superRefine((q, ctx) => {
  // Every limit >= its request (config/rules/resources.ts), on the quota's flat field names.
  const requests = { cpu: q.requestsCpu, memory: q.requestsMemory };
  for (const v of limitsBelowRequests(requests, { cpu: q.limitsCpu, memory: q.limitsMemory })) {
    const field = v.resource === 'cpu' ? 'Cpu' : 'Memory';
    ctx.addIssue({
      code: 'custom',
      path: [`limits${field}`],
      input: v.limit,
      message: `must be >= requests${field} (${v.request})`,
    });
  }
});
export type Quota = z.output<typeof quota>;

const storageBounds = strict({ min: memory, max: memory });

const limitRange = strict({
  container: strict({
    defaultRequest: cpuMemory,
    default: cpuMemory,
    min: cpuMemory,
    max: cpuMemory,
  }),
  pod: strict({ max: cpuMemory }).optional(),
  persistentVolumeClaim: storageBounds.optional(),
}).superRefine((lr, ctx) => {
  // min <= defaultRequest <= default <= max, per resource (config/rules/limit-range.ts).
  for (const v of limitRangeOrderViolations(lr.container)) {
    ctx.addIssue({
      code: 'custom',
      path: ['container', v.upper, v.resource],
      input: v.high,
      message: `must be >= container.${v.lower}.${v.resource} (${v.low})`,
    });
  }
  const pvc = lr.persistentVolumeClaim;
  if (pvc && limitRangeOrderViolations({ min: { storage: pvc.min }, max: { storage: pvc.max } }).length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['persistentVolumeClaim', 'max'],
      input: pvc.max,
      message: `must be >= persistentVolumeClaim.min (${pvc.min})`,
    });
  }
});
export type LimitRangeSpec = z.output<typeof limitRange>;

const guardrails = strict({ quota, limitRange });
export type Guardrails = z.output<typeof guardrails>;

/** Settings of one namespace; unset fields come from the platform catalogue or `guardrails`. */
const namespaceOverride = strict({
  podSecurity: z.enum(POD_SECURITY_LEVELS).optional(),
  mesh: z.boolean().optional(),
  quota: quota.optional(),
  limitRange: limitRange.optional(),
});

const tenant = strict({
  /** Namespace suffix: the namespace is `<namespacePrefix>-<name>`. */
  name: dnsLabel,
  podSecurity: z.enum(POD_SECURITY_LEVELS).default('restricted'),
  mesh: z.boolean().default(true),
  /** @default - tenantDefaults.quota */
  quota: quota.optional(),
  /** @default - tenantDefaults.limitRange */
  limitRange: limitRange.optional(),
  /** Groups bound to the built-in `admin` / `view` ClusterRoles in this namespace only. */
  adminGroups: z.array(z.string().min(1)).default([]),
  viewGroups: z.array(z.string().min(1)).default([]),
});
export type Tenant = z.output<typeof tenant>;

// ---------------------------------------------------------------------------
// Workloads
// ---------------------------------------------------------------------------

const scalingPolicy = strict({
  type: z.enum(['Pods', 'Percent']),
  value: positiveInt,
  periodSeconds: z.number().int().min(1).max(1800),
});
const scalingRules = strict({
  stabilizationWindowSeconds: z.number().int().min(0).max(3600),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).default('Max'),
  policies: z.array(scalingPolicy).min(1),
});
export type ScalingRules = z.output<typeof scalingRules>;

/** Seed 004's HPA behaviour: fast up, damped down. */
const DEFAULT_BEHAVIOR = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max' as const,
    policies: [
      { type: 'Percent' as const, value: 100, periodSeconds: 60 },
      { type: 'Pods' as const, value: 4, periodSeconds: 60 },
    ],
  },
  scaleDown: {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Min' as const,
    policies: [
      { type: 'Percent' as const, value: 50, periodSeconds: 60 },
      { type: 'Pods' as const, value: 2, periodSeconds: 60 },
    ],
  },
};

const hpa = strict({
  cpuUtilization: percent.optional(),
  memoryUtilization: percent.optional(),
  /** Pods metric `http_requests_per_second` average per pod (served by prometheus-adapter). */
  requestsPerSecond: positiveInt.optional(),
  /** External metrics (e.g. a queue length from an external metrics adapter), AverageValue per pod. */
  external: z
    .array(
      strict({
        metric: z.string().min(1),
        selector: z.record(labelKey, labelValue).default({}),
        averageValue: z.string().regex(/^\d+(\.\d+)?m?$/, { error: 'must be a quantity such as 10 or 500m' }),
      }),
    )
    .default([]),
  behavior: strict({ scaleUp: scalingRules, scaleDown: scalingRules }).default(DEFAULT_BEHAVIOR),
});

/** Event-driven scaling with KEDA instead of an HPA (replicas.min may then be 0). */
const kedaScaling = strict({
  pollingInterval: positiveInt.default(15),
  cooldownPeriod: positiveInt.default(120),
  /** Redis list length triggers (seed 003: tool adapters on queue depth). */
  redisLists: z
    .array(
      strict({
        /** host:port of the Redis server. */
        address: z.string().regex(/^[a-z0-9.-]+:\d+$/, { error: 'must be host:port' }),
        listName: z.string().min(1),
        /** Target list length per replica. */
        listLength: positiveInt,
        /** Secret (in the workload's namespace) holding the Redis password, by reference. */
        passwordSecret: strict({ name: dnsLabel, key: z.string().min(1) }).optional(),
      }),
    )
    .min(1),
  /** Also scale on CPU utilization (needs replicas.min >= 1 to be effective). */
  cpuUtilization: percent.optional(),
});

const probe = strict({
  path: z.string().startsWith('/'),
  periodSeconds: positiveInt.default(10),
  failureThreshold: positiveInt.default(3),
  initialDelaySeconds: nonNegativeInt.default(0),
  timeoutSeconds: positiveInt.default(3),
});

const probes = strict({
  /** @default /healthz every 5 s, 12 failures: 60 s for a cold start */
  startup: probe.prefault({ path: '/healthz', periodSeconds: 5, failureThreshold: 12 }),
  liveness: probe.prefault({ path: '/healthz' }),
  readiness: probe.prefault({ path: '/readyz', periodSeconds: 5 }),
});

/** Secrets a workload reads, by reference only: never a value in the stack file. */
const secretRef = strict({
  /** Name of a Secret that exists in the namespace (created out of band or by Vault). */
  name: dnsLabel,
  /** Keys the workload reads from it. */
  keys: z.array(z.string().min(1)).min(1),
});

/**
 * A destination outside the cluster a workload may reach (its database, an external API).
 * Becomes an egress NetworkPolicy; everything not listed stays closed by default-deny.
 */
const egressRule = strict({
  /** Policy name suffix (`<service>-allow-<name>`). */
  name: dnsLabel.max(40, { error: 'must be at most 40 characters (it suffixes a policy name)' }),
  cidr,
  /** Ranges inside cidr that stay closed (e.g. 169.254.169.254/32, the cloud metadata service). */
  except: z.array(cidr).default([]),
  ports: z.array(z.number().int().min(1).max(65535)).min(1),
});
export type EgressRule = z.output<typeof egressRule>;

/** A stateless service: Deployment, Service, SA, HPA (or KEDA), PDB, VPA, ServiceMonitor, policies. */
const serviceFields = {
  image: imageRef,
  /** `http` serves on `port` (Service, HTTP probes); `worker` has no Service and an exec probe. */
  kind: z.enum(['http', 'worker']).default('http'),
  /** Exec probe command (required for kind `worker`). */
  probeCommand: z.array(z.string().min(1)).min(1).optional(),
  /** NVIDIA GPUs per pod (limits `nvidia.com/gpu`); needs a GPU pool. */
  gpus: nonNegativeInt.default(0),
  /** @default platform-critical for the API; none for other services */
  priorityClass: dnsLabel.optional(),
  /** Scale with KEDA instead of an HPA. */
  keda: kedaScaling.optional(),
  /** Workloads (service names, `api`) allowed to call this one; [] = only the ingress gateway for the API. */
  callers: z.array(dnsLabel).default([]),
  port: z.number().int().min(1024).max(65535).default(8080),
  /** Port serving Prometheus metrics at /metrics. @default - same as port */
  metricsPort: z.number().int().min(1024).max(65535).optional(),
  /** Non-zero, high UID the containers run as. */
  runAsUser: z.number().int().min(1000).default(10001),
  replicas: replicaRange(1),
  resources,
  autoscaling: hpa.prefault({ cpuUtilization: 70, memoryUtilization: 80 }),
  /** @default 2 (config/rules/disruption.ts) */
  pdbMinAvailable: positiveInt.default(DEFAULT_PDB_MIN_AVAILABLE),
  probes: probes.prefault({}),
  /** Writable scratch directories (emptyDir), since the root filesystem is read-only. */
  scratchPaths: z.array(z.string().startsWith('/')).default(['/tmp']),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  secrets: z.array(secretRef).default([]),
  /** Destinations outside the cluster the pods may reach (TCP). @default [] */
  egress: z.array(egressRule).default([]),
  /** @default - the pool with the role the workload belongs on */
  pool: dnsLabel.optional(),
};

const pdbBelowFloor = (
  s: { replicas: { min: number }; pdbMinAvailable: number; kind: 'http' | 'worker'; probeCommand?: string[] },
  ctx: z.RefinementCtx,
) => {
  if (s.kind === 'worker' && !s.probeCommand) {
    ctx.addIssue({
      code: 'custom',
      path: ['probeCommand'],
      message: 'is required for kind "worker" (exec liveness/readiness probe)',
    });
  }
  if (minAvailableBlocksDrain(s.pdbMinAvailable, s.replicas.min)) {
    ctx.addIssue({
      code: 'custom',
      path: ['pdbMinAvailable'],
      input: s.pdbMinAvailable,
      message: `must be < replicas.min (${s.replicas.min}): a PDB at the autoscaler floor blocks every node drain`,
    });
  }
};

const controlPlaneApi = strict({
  ...serviceFields,
  /** Public host name served by the Istio ingress gateway. */
  host: z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, { error: 'must be a DNS name' }),
  /** Secret (in the ingress namespace) holding the TLS certificate for `host`. */
  tlsSecretName: dnsLabel,
}).superRefine(pdbBelowFloor);
export type ControlPlaneApiSpec = z.output<typeof controlPlaneApi>;

const service = strict({
  name: dnsLabel,
  /** A tenant name or a platform namespace key. */
  namespace: dnsLabel,
  ...serviceFields,
}).superRefine(pdbBelowFloor);
export type ServiceSpec = z.output<typeof service>;

const agentTier = strict({
  requests: cpuMemory,
  limits: cpuMemory,
  /** emptyDir sizeLimit of the agent's workspace. */
  workspace: memory.refine((v) => bytes(v) > 0, { error: 'must be greater than 0' }),
}).superRefine(refineLimitsAtLeastRequests);
export type AgentTier = z.output<typeof agentTier>;

const warmPool = strict({
  /** Tier whose template the warm pods use. */
  tier: dnsLabel,
  minReplicas: nonNegativeInt.default(0),
  maxReplicas: positiveInt,
  pollingInterval: positiveInt.default(15),
  cooldownPeriod: positiveInt.default(120),
  cpuUtilization: percent.default(75),
  query: z.string().min(1).default("SELECT COUNT(*) FROM agent_instances WHERE status = 'provisioning'"),
  targetQueryValue: positiveInt.default(1),
  /** Secret in the agents namespace holding the database connection (read by KEDA). */
  database: strict({
    secretName: dnsLabel,
    /** Secret key holding a libpq connection string (`postgresql://…`). */
    connectionKey: z.string().min(1).default('connection'),
  }),
}).superRefine((w, ctx) => {
  if (w.maxReplicas < w.minReplicas) {
    ctx.addIssue({
      code: 'custom',
      path: ['maxReplicas'],
      input: w.maxReplicas,
      message: `must be >= minReplicas (${w.minReplicas})`,
    });
  }
});

const agents = strict({
  image: imageRef,
  /**
   * Registries (host, optionally with a path: `ghcr.io/lobstack`) every image of an agent pod
   * must come from, besides the images the platform injects (the Vault agent). Enforced at
   * admission for pods the orchestrator creates at run time.
   */
  allowedRegistries: z
    .array(
      z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, {
        error: 'must be a registry host with an optional path, such as ghcr.io/lobstack (no scheme, no trailing "/")',
      }),
    )
    .min(1),
  port: z.number().int().min(1024).max(65535).default(8080),
  runAsUser: z.number().int().min(1000).default(10001),
  /** @default - the pool with role `agents` */
  pool: dnsLabel.optional(),
  /** Pod overhead the gVisor sandbox adds, charged against quota and scheduling. */
  runtimeOverhead: cpuMemory.default({ cpu: '100m', memory: '64Mi' }),
  tiers: z
    .record(dnsLabel, agentTier)
    .refine((t) => Object.keys(t).length > 0, { error: 'must define at least one tier' }),
  /** Maximum concurrent session pods per tier (the orchestrator enforces it; the quota must admit it). */
  sessions: z.record(dnsLabel, nonNegativeInt).default({}),
  /** Pre-started agent pods scaled by KEDA. @default - none: every session pod is created on demand */
  warmPool: warmPool.optional(),
  /** TCP ports agents may reach on the internet (never private ranges or metadata). */
  egressPorts: z.array(z.number().int().min(1).max(65535)).default([443]),
  /** UDP ports agents may reach on the internet (e.g. 443 for WebRTC media); same exclusions. */
  egressUdpPorts: z.array(z.number().int().min(1).max(65535)).default([]),
  /** Port serving Prometheus metrics at /metrics. @default - same as port */
  metricsPort: z.number().int().min(1024).max(65535).optional(),
  probes: probes.prefault({}),
  /** Secret injection by the Vault agent (used when addons.vault is enabled). */
  vault: strict({
    /** Vault Kubernetes-auth role the agent pods log in as. @default - `<name>-agent` */
    role: z
      .string()
      .regex(/^[A-Za-z0-9][-A-Za-z0-9_.]*$/, { error: 'must be a Vault role name: letters, digits, "-", "_", "."' })
      .optional(),
    /** Files rendered into /vault/secrets/<file> before the agent starts: file name → Vault path (never a value). */
    secrets: z
      .record(
        z
          .string()
          .regex(/^[A-Za-z0-9][-A-Za-z0-9_.]*$/, { error: 'must be a file name: letters, digits, "-", "_", "."' }),
        z
          .string()
          .regex(/^[A-Za-z0-9][-A-Za-z0-9_./]*$/, { error: 'must be a Vault path such as secret/data/agents/ai' }),
      )
      .default({}),
  }).prefault({}),
});
export type AgentsSpec = z.output<typeof agents>;

// ---------------------------------------------------------------------------
// Add-ons
// ---------------------------------------------------------------------------

const toggle = { enabled: z.boolean().default(true), chartVersion: z.string().min(1).optional() };

const addons = strict({
  /** Pool the add-on pods run on. @default - the `system` pool, else the `control-plane` pool */
  pool: dnsLabel.optional(),
  keda: strict({ ...toggle }).prefault({}),
  vpa: strict({
    ...toggle,
    updater: z.boolean().default(false),
    admissionController: z.boolean().default(false),
  }).prefault({}),
  /** `distribution`: the cluster's own (k3s bundles one); `chart`: install the Helm chart. @default - distribution on hcloud, chart on aws */
  metricsServer: strict({ ...toggle, source: z.enum(['chart', 'distribution']).optional() }).prefault({}),
  prometheusAdapter: strict({ ...toggle }).prefault({}),
  kubePrometheusStack: strict({
    ...toggle,
    retention: z
      .string()
      .regex(/^\d+[hdw]$/)
      .default('15d'),
    storage: memory.default('50Gi'),
    alertmanagerReplicas: positiveInt.default(2),
  }).prefault({}),
  falco: strict({ ...toggle }).prefault({}),
  vault: strict({ ...toggle, replicas: positiveInt.default(3), storage: memory.default('10Gi') }).prefault({}),
  istio: strict({ ...toggle, gatewayReplicas: replicaRange(1).default({ min: 2, max: 5 }) }).prefault({}),
  clusterAutoscaler: strict({
    ...toggle,
    scaleDownUnneededTime: z
      .string()
      .regex(/^\d+[smh]$/)
      .default('5m'),
    scaleDownUtilizationThreshold: z.number().gt(0).lt(1).default(0.5),
    maxNodeProvisionTime: z
      .string()
      .regex(/^\d+[smh]$/)
      .default('10m'),
    balanceSimilarNodeGroups: z.boolean().default(true),
    expander: z.enum(['least-waste', 'most-pods', 'random', 'price', 'priority']).default('least-waste'),
  }).prefault({}),
  /** Hetzner cloud controller manager and CSI driver. @default - enabled on hcloud */
  hcloudCcm: strict({ enabled: z.boolean().optional(), chartVersion: z.string().min(1).optional() }).prefault({}),
  hcloudCsi: strict({ enabled: z.boolean().optional(), chartVersion: z.string().min(1).optional() }).prefault({}),
  /** CSI snapshot CRDs and controller: installed where a VolumeSnapshotClass is declared. */
  snapshotController: strict({ ...toggle }).prefault({}),
  ...edgeAddonToggles,
  /** Velero (volume and object backups). @default - enabled where the environment declares `backup` */
  velero: strict({ enabled: z.boolean().optional(), chartVersion: z.string().min(1).optional() }).prefault({}),
  /** AWS Load Balancer Controller (the gateway's NLB). @default - enabled on aws with Istio (config/cluster-needs.ts) */
  awsLoadBalancerController: strict({
    enabled: z.boolean().optional(),
    chartVersion: z.string().min(1).optional(),
  }).prefault({}),
  /** NVIDIA device plugin on the gpu pools. @default - enabled when a pool has gpu: true */
  nvidiaDevicePlugin: strict({
    enabled: z.boolean().optional(),
    chartVersion: z.string().min(1).optional(),
  }).prefault({}),
});

// ---------------------------------------------------------------------------
// The environment
// ---------------------------------------------------------------------------

export const environmentSchema = strict({
  /** Platform name: the `app.kubernetes.io/part-of` label and resource name prefix. */
  name: dnsLabel.max(20, { error: 'must be at most 20 characters (it prefixes cloud resource names)' }),
  stage: z.enum(STAGES),
  cloud,
  kubernetes: strict({
    version: z.enum(SUPPORTED_KUBERNETES_MINORS),
    /**
     * false while no cluster runs this environment: synth then takes any supported minor
     * instead of checking the upgrade step from the minor in the base's dist/<stack>/index.json
     * (charts-src/upgrade-step.ts). Set true (or remove) with the first `pulumi up`. @default true
     */
    deployed: z.boolean().default(true),
  }),
  /** Prefix of the platform's namespaces (`<prefix>-agents`); empty for bare names. */
  namespacePrefix: z.union([dnsLabel, z.literal('')]),
  /** Who may reach SSH and the Kubernetes API. */
  adminCidrs: z.array(cidr).min(1),
  /** @default - true in prod: servers, network and cluster get delete protection */
  protect: z.boolean().optional(),
  nodePools: z.array(nodePool).min(1),
  /** Quota and limit range of every namespace that does not set its own. */
  guardrails,
  /** Overrides per platform namespace key (see config/namespaces.ts). */
  namespaces: z.record(z.string(), namespaceOverride).default({}),
  tenantDefaults: guardrails.optional(),
  tenants: z.array(tenant).default([]),
  controlPlaneApi,
  agents: agents.optional(),
  services: z.array(service).default([]),
  statefulServices: z.array(statefulService).default([]),
  jobs: z.array(job).default([]),
  storageClasses: z.array(storageClass).default([]),
  volumeSnapshotClasses: z.array(volumeSnapshotClass).default([]),
  /** Extra PriorityClasses besides platform-critical, agent and batch. */
  priorityClasses: z.array(priorityClass).default([]),
  access: access.prefault({}),
  addons: addons.prefault({}),
  /** In-place node upgrades (hcloud: system-upgrade-controller Plans in dist/). */
  upgrades: strict({
    /** Bump to run another round of OS security updates (one node at a time, drained, rebooted if needed). */
    osUpdateRound: positiveInt.default(1),
    /** How long a drain may wait for PodDisruptionBudgets before the node's upgrade job fails and retries. */
    drainTimeout: z
      .string()
      .regex(/^\d+[smh]$/)
      .default('15m'),
  }).prefault({}),
  ...edgeFields,
  /** Recovery objectives, object storage and backup schedules (config/backup.ts). @default - none (required in prod) */
  backup: backup.optional(),
  /** Prometheus alert thresholds. */
  alerts: strict({
    hpaAtMaxFor: z
      .string()
      .regex(/^\d+[smh]$/)
      .default('15m'),
    quotaUsedRatio: z.number().gt(0).lt(1).default(0.9),
    /** How long a quota may stay above quotaUsedRatio before it alerts. */
    quotaUsedFor: z
      .string()
      .regex(/^\d+[smh]$/)
      .default('15m'),
    podPendingFor: z
      .string()
      .regex(/^\d+[smh]$/)
      .default('10m'),
    /** How long a PDB may allow 0 disruptions (blocking every drain) before it alerts. */
    pdbBlockedFor: z
      .string()
      .regex(/^\d+[smh]$/)
      .default('15m'),
    /** How long KEDA scalers may keep failing before it alerts. */
    scalerErrorsFor: z
      .string()
      .regex(/^\d+[smh]$/)
      .default('5m'),
  }).prefault({}),
  /** Capacity simulation settings and objectives (`npm run simulate`, config/simulation.ts). */
  simulation: simulationSchema.optional(),
});

export type EnvironmentInput = z.input<typeof environmentSchema>;
export type ParsedEnvironment = z.output<typeof environmentSchema>;
export type NodePoolInput = z.output<typeof nodePool>;
