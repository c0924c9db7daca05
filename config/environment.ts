/**
 * Resolving a parsed stack file into the EnvironmentSpec both engines consume:
 * derived defaults filled in once (pool taints, the namespace list, add-on
 * toggles per cloud) and the invariants that span objects checked once.
 */
import type { ConfigIssue } from './errors';
import { defaultTaints, prefixedName, type PoolIdentity } from './contract';
import { instanceType, HCLOUD_LOCATIONS, type InstanceType } from './catalogue/instance-types';
import { checkDangerousSettings } from './dangerous-settings';
import {
  certManagerEnabled,
  clusterGroupName,
  edgeIssues,
  edgeWarnings,
  externalDnsEnabled,
  fluentBitEnabled,
} from './edge';
import { PLATFORM_NAMESPACES, PLATFORM_NAMESPACE_KEYS, type PlatformNamespaceKey } from './namespaces';
import { PLATFORM_PRIORITY_CLASSES } from './workloads';
import { recoveryIssues } from './recovery';
import { awsLoadBalancerControllerNeeded } from './load-balancer-controller-needed';
import type { Guardrails, LimitRangeSpec, ParsedEnvironment, PodSecurityLevel, PoolRole, Quota, Taint } from './schema';

export interface NodePool extends PoolIdentity {
  readonly name: string;
  readonly role: PoolRole;
  readonly instanceType: string;
  readonly instance: InstanceType;
  readonly min: number;
  readonly max: number;
  readonly initial: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly capacity: 'on-demand' | 'spot';
  readonly gvisor: boolean;
  readonly gpu: boolean;
  readonly locations: readonly string[];
  readonly volumeSizeGiB: number;
  /** true when the cluster autoscaler may change the size (min < max). */
  readonly autoscaled: boolean;
}

export interface NamespaceSpec {
  /** Platform key (`agents`) or tenant name. */
  readonly key: string;
  /** Full Kubernetes name (`lobstack-agents`). */
  readonly name: string;
  readonly kind: 'platform' | 'tenant';
  readonly podSecurity: PodSecurityLevel;
  readonly mesh: boolean;
  readonly quota: Quota;
  readonly limitRange: LimitRangeSpec;
  readonly purpose: string;
  /** Why the namespace is below restricted (platform exceptions only). */
  readonly exception?: string;
  /** Group names as the cluster sees them (`oidc.groupsPrefix` applied). */
  readonly adminGroups: readonly string[];
  readonly viewGroups: readonly string[];
}

type ParsedAddons = ParsedEnvironment['addons'];
export interface AddonsSpec extends Omit<
  ParsedAddons,
  'metricsServer' | 'hcloudCcm' | 'hcloudCsi' | 'velero' | 'awsLoadBalancerController' | 'nvidiaDevicePlugin' | 'pool'
> {
  readonly awsLoadBalancerController: { enabled: boolean; chartVersion?: string };
  readonly nvidiaDevicePlugin: { enabled: boolean; chartVersion?: string };
  readonly velero: { enabled: boolean; chartVersion?: string };
  readonly metricsServer: ParsedAddons['metricsServer'] & { source: 'chart' | 'distribution' };
  readonly hcloudCcm: { enabled: boolean; chartVersion?: string };
  readonly hcloudCsi: { enabled: boolean; chartVersion?: string };
}

/** The validated, fully resolved environment: what charts, infra and the gate read. */
export interface EnvironmentSpec extends Omit<
  ParsedEnvironment,
  'nodePools' | 'namespaces' | 'tenants' | 'protect' | 'addons' | 'tenantDefaults'
> {
  /** Stack name (`staging`): the dist/ folder and the Pulumi stack. */
  readonly stack: string;
  readonly protect: boolean;
  readonly nodePools: readonly NodePool[];
  /** Every namespace the platform creates, platform first, then tenants, in stable order. */
  readonly namespaces: readonly NamespaceSpec[];
  readonly addons: AddonsSpec;
  /** The pools workloads are placed on. */
  readonly placement: {
    readonly system: NodePool;
    readonly api: NodePool;
    readonly agents?: NodePool;
  };
}

export interface ResolveResult {
  readonly spec?: EnvironmentSpec;
  readonly issues: ConfigIssue[];
  readonly warnings: string[];
}

const issue = (path: PropertyKey[], message: string, input?: unknown): ConfigIssue => ({
  path,
  message,
  input,
  hasInput: input !== undefined,
});

/** Platform namespace key → full name, for one environment. */
export function platformNamespaceName(prefix: string, key: PlatformNamespaceKey): string {
  const def = PLATFORM_NAMESPACES.find((d) => d.key === key)!;
  return def.prefixed ? prefixedName(prefix, key) : key;
}

/** Cross-object invariants and derived defaults. Runs only on a structurally valid file. */
export function resolveEnvironment(parsed: ParsedEnvironment, stack: string): ResolveResult {
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const provider = parsed.cloud.provider;

  // Cloud locations.
  parsed.cloud.locations.forEach((location, i) => {
    if (provider === 'hcloud') {
      const known = HCLOUD_LOCATIONS[location];
      if (!known) {
        issues.push(
          issue(
            ['cloud', 'locations', i],
            `is not a Hetzner location (allowed: ${Object.keys(HCLOUD_LOCATIONS).join(', ')})`,
            location,
          ),
        );
      } else if (known.networkZone !== parsed.cloud.region) {
        issues.push(
          issue(
            ['cloud', 'locations', i],
            `is in network zone ${known.networkZone}, not in cloud.region (${parsed.cloud.region})`,
            location,
          ),
        );
      }
    } else if (
      !/^[a-f]$/.test(location.startsWith(parsed.cloud.region) ? location.slice(parsed.cloud.region.length) : '')
    ) {
      // Region + one letter: subnets are allocated by that letter (infra/aws/subnet-plan.ts).
      issues.push(
        issue(
          ['cloud', 'locations', i],
          `must be an availability zone of cloud.region (${parsed.cloud.region}), e.g. ${parsed.cloud.region}a`,
          location,
        ),
      );
    }
  });
  if (provider === 'aws' && parsed.cloud.locations.length < 2) {
    issues.push(
      issue(
        ['cloud', 'locations'],
        'must list at least 2 availability zones (EKS requires subnets in two)',
        parsed.cloud.locations,
      ),
    );
  }

  // The VPC is split into a private subnet per zone, an eighth of the range each.
  if (provider === 'aws') {
    const prefix = Number(parsed.cloud.networkCidr.split('/')[1]);
    if (prefix < 16 || prefix > 20) {
      issues.push(
        issue(
          ['cloud', 'networkCidr'],
          `must be a /16 to /20 on aws: each zone gets a /${prefix + 3} for nodes and pods (the VPC CNI gives every pod a VPC address)`,
          parsed.cloud.networkCidr,
        ),
      );
    }
  }

  // Node pools.
  const pools: NodePool[] = [];
  const seenPools = new Map<string, number>();
  parsed.nodePools.forEach((p, i) => {
    const at = (...rest: PropertyKey[]) => ['nodePools', i, ...rest];
    const previous = seenPools.get(p.name);
    if (previous !== undefined) {
      issues.push(issue(at('name'), `duplicates nodePools[${previous}].name: pool names must be unique`, p.name));
    }
    seenPools.set(p.name, i);
    const type = instanceType(provider, p.instanceType);
    if (!type) {
      issues.push(
        issue(
          at('instanceType'),
          `is not a known ${provider} instance type (see config/catalogue/instance-types.ts)`,
          p.instanceType,
        ),
      );
    } else if (type.deprecatedBy) {
      warnings.push(
        `nodePools[${i}].instanceType: ${provider} type ${p.instanceType} is deprecated; use ${type.deprecatedBy} (its current equivalent)`,
      );
    }
    if (p.gpu && type && type.gpus === 0) {
      issues.push(issue(at('gpu'), `is true but ${p.instanceType} has no GPU`, p.gpu));
    }
    if (p.capacity === 'spot' && provider === 'hcloud') {
      issues.push(issue(at('capacity'), 'must be "on-demand" on hcloud (Hetzner has no spot servers)', p.capacity));
    }
    if (p.role === 'control-plane') {
      if (provider === 'aws') {
        issues.push(
          issue(
            at('role'),
            'cannot be "control-plane" on aws: EKS manages the control plane; use role "system" for add-ons',
            p.role,
          ),
        );
      } else if (p.min !== p.max || ![1, 3, 5].includes(p.min)) {
        issues.push(
          issue(
            at('max'),
            `must equal min and be 1, 3 or 5: etcd needs a fixed, odd number of servers (min is ${p.min})`,
            p.max,
          ),
        );
      }
    }
    const locations = p.locations ?? parsed.cloud.locations;
    (p.locations ?? []).forEach((loc, j) => {
      if (!parsed.cloud.locations.includes(loc)) {
        issues.push(
          issue(at('locations', j), `must be one of cloud.locations (${parsed.cloud.locations.join(', ')})`, loc),
        );
      }
    });
    const gvisor = p.gvisor ?? p.role === 'agents';
    if (gvisor && type?.architecture === 'arm64' && provider === 'hcloud') {
      // runsc ships for arm64 as well; nothing to refuse, but worth knowing.
      warnings.push(`nodePools[${i}]: gVisor on arm64 (${p.instanceType}) runs, but is less tested than x86_64`);
    }
    pools.push({
      name: p.name,
      role: p.role,
      instanceType: p.instanceType,
      instance: type ?? {
        cloud: provider,
        name: p.instanceType,
        vcpu: 0,
        memoryGiB: 0,
        gpus: 0,
        architecture: 'x86_64',
        currency: 'EUR',
      },
      min: p.min,
      max: p.max,
      initial: p.initial ?? p.min,
      labels: p.labels,
      taints: p.taints ?? defaultTaints(p.role),
      capacity: p.capacity,
      gvisor,
      gpu: p.gpu,
      locations,
      volumeSizeGiB: p.volumeSizeGiB,
      autoscaled: p.min < p.max,
    });
  });
  const controlPlanes = pools.filter((p) => p.role === 'control-plane');
  if (provider === 'hcloud' && controlPlanes.length !== 1) {
    issues.push(
      issue(
        ['nodePools'],
        `must contain exactly one pool with role "control-plane" on hcloud (k3s servers), found ${controlPlanes.length}`,
      ),
    );
  }

  const poolByName = (name: string) => pools.find((p) => p.name === name);
  const pick = (
    path: PropertyKey[],
    explicit: string | undefined,
    roles: PoolRole[],
    what: string,
  ): NodePool | undefined => {
    if (explicit !== undefined) {
      const pool = poolByName(explicit);
      if (!pool)
        issues.push(issue(path, `names no pool in nodePools (have: ${pools.map((p) => p.name).join(', ')})`, explicit));
      return pool;
    }
    for (const role of roles) {
      const pool = pools.find((p) => p.role === role);
      if (pool) return pool;
    }
    issues.push(issue(path, `is required: no pool with role ${roles.map((r) => `"${r}"`).join(' or ')} for ${what}`));
    return undefined;
  };
  const systemPool = pick(['addons', 'pool'], parsed.addons.pool, ['system', 'control-plane'], 'the add-ons');
  const apiPool = pick(
    ['controlPlaneApi', 'pool'],
    parsed.controlPlaneApi.pool,
    ['api', 'general', 'system'],
    'the control-plane API',
  );
  const agentsPool = parsed.agents ? pick(['agents', 'pool'], parsed.agents.pool, ['agents'], 'agent pods') : undefined;
  if (agentsPool && !agentsPool.gvisor) {
    issues.push(
      issue(
        ['agents', 'pool'],
        `names pool "${agentsPool.name}", which has gvisor: false; agent pods need runsc`,
        agentsPool.name,
      ),
    );
  }
  // Agents: tiers referenced by sessions and the warm pool exist.
  if (parsed.agents) {
    const tiers = Object.keys(parsed.agents.tiers);
    if (parsed.agents.warmPool && !tiers.includes(parsed.agents.warmPool.tier)) {
      issues.push(
        issue(
          ['agents', 'warmPool', 'tier'],
          `is not a tier defined in agents.tiers (${tiers.join(', ')})`,
          parsed.agents.warmPool.tier,
        ),
      );
    }
    for (const tier of Object.keys(parsed.agents.sessions)) {
      if (!tiers.includes(tier)) {
        issues.push(issue(['agents', 'sessions', tier], `is not a tier defined in agents.tiers (${tiers.join(', ')})`));
      }
    }
  }

  // Add-ons per cloud.
  const hcloudOnly = (key: 'hcloudCcm' | 'hcloudCsi') => {
    const enabled = parsed.addons[key].enabled;
    if (enabled && provider !== 'hcloud') {
      issues.push(
        issue(
          ['addons', key, 'enabled'],
          `must be false on ${provider}: the Hetzner ${key === 'hcloudCcm' ? 'cloud controller manager' : 'CSI driver'} runs only on hcloud`,
          enabled,
        ),
      );
    }
    return { ...parsed.addons[key], enabled: enabled ?? provider === 'hcloud' };
  };
  const addons: AddonsSpec = {
    ...parsed.addons,
    metricsServer: {
      ...parsed.addons.metricsServer,
      source: parsed.addons.metricsServer.source ?? (provider === 'hcloud' ? 'distribution' : 'chart'),
    },
    hcloudCcm: hcloudOnly('hcloudCcm'),
    hcloudCsi: hcloudOnly('hcloudCsi'),
    velero: { ...parsed.addons.velero, enabled: (parsed.addons.velero.enabled ?? true) && parsed.backup !== undefined },
    // What the environment declares decides these (config/cluster-needs.ts); `enabled: false` opts out.
    awsLoadBalancerController: {
      ...parsed.addons.awsLoadBalancerController,
      enabled:
        (parsed.addons.awsLoadBalancerController.enabled ?? true) &&
        awsLoadBalancerControllerNeeded(provider, parsed.addons.istio.enabled),
    },
    nvidiaDevicePlugin: {
      ...parsed.addons.nvidiaDevicePlugin,
      enabled: (parsed.addons.nvidiaDevicePlugin.enabled ?? true) && parsed.nodePools.some((p) => p.gpu),
    },
  };
  if (addons.vault.enabled && addons.vault.replicas % 2 === 0) {
    issues.push(
      issue(['addons', 'vault', 'replicas'], 'must be odd: Raft needs a majority (3 or 5)', addons.vault.replicas),
    );
  }
  if (addons.prometheusAdapter.enabled && !addons.kubePrometheusStack.enabled) {
    issues.push(
      issue(
        ['addons', 'prometheusAdapter', 'enabled'],
        'requires addons.kubePrometheusStack.enabled: the adapter reads Prometheus',
        true,
      ),
    );
  }
  if (parsed.controlPlaneApi.autoscaling.requestsPerSecond !== undefined && !addons.prometheusAdapter.enabled) {
    issues.push(
      issue(
        ['controlPlaneApi', 'autoscaling', 'requestsPerSecond'],
        'requires addons.prometheusAdapter.enabled: the pods metric is served by prometheus-adapter',
        parsed.controlPlaneApi.autoscaling.requestsPerSecond,
      ),
    );
  }
  parsed.services.forEach((s, i) => {
    if (s.autoscaling.requestsPerSecond !== undefined && !addons.prometheusAdapter.enabled) {
      issues.push(
        issue(
          ['services', i, 'autoscaling', 'requestsPerSecond'],
          'requires addons.prometheusAdapter.enabled: the pods metric is served by prometheus-adapter',
          s.autoscaling.requestsPerSecond,
        ),
      );
    }
  });
  parsed.services.forEach((s, i) => {
    if (s.autoscaling.external.length === 0) return;
    if (addons.keda.enabled) {
      issues.push(
        issue(
          ['services', i, 'autoscaling', 'external'],
          'cannot be served while addons.keda is enabled: KEDA owns the external metrics API; scale this service with services[].keda, or disable KEDA',
        ),
      );
    } else if (!addons.prometheusAdapter.enabled) {
      issues.push(
        issue(
          ['services', i, 'autoscaling', 'external'],
          'requires addons.prometheusAdapter.enabled: it serves the external metrics API from Prometheus',
        ),
      );
    }
  });
  if (parsed.agents?.warmPool && !addons.keda.enabled) {
    issues.push(
      issue(['addons', 'keda', 'enabled'], 'must be true when agents are defined: KEDA scales the warm pool', false),
    );
  }

  // Namespaces: platform catalogue + overrides, then tenants.
  const enablement = {
    agents: parsed.agents !== undefined,
    inPlaceNodeUpgrades: provider === 'hcloud',
    addons: {
      vault: addons.vault.enabled,
      kubePrometheusStack: addons.kubePrometheusStack.enabled,
      falco: addons.falco.enabled,
      istio: addons.istio.enabled,
      keda: addons.keda.enabled,
      vpa: addons.vpa.enabled,
      certManager: certManagerEnabled(parsed),
      externalDns: externalDnsEnabled(parsed),
      fluentBit: fluentBitEnabled(parsed),
      backup: addons.velero.enabled,
    },
  };
  issues.push(...edgeIssues(parsed));
  warnings.push(...edgeWarnings(parsed));
  for (const key of Object.keys(parsed.namespaces)) {
    if (!(PLATFORM_NAMESPACE_KEYS as readonly string[]).includes(key)) {
      issues.push(
        issue(
          ['namespaces', key],
          `is not a platform namespace (allowed: ${PLATFORM_NAMESPACE_KEYS.join(', ')}); declare team namespaces under tenants`,
        ),
      );
    }
  }
  const namespaces: NamespaceSpec[] = [];
  const guard = (g: Guardrails | undefined) => g ?? parsed.guardrails;
  for (const def of PLATFORM_NAMESPACES) {
    if (!def.enabled(enablement)) continue;
    const o = parsed.namespaces[def.key] ?? {};
    namespaces.push({
      key: def.key,
      name: def.prefixed ? prefixedName(parsed.namespacePrefix, def.key) : def.key,
      kind: 'platform',
      podSecurity: o.podSecurity ?? def.podSecurity,
      mesh: o.mesh ?? (def.mesh && addons.istio.enabled),
      quota: o.quota ?? parsed.guardrails.quota,
      limitRange: o.limitRange ?? parsed.guardrails.limitRange,
      purpose: def.purpose,
      ...(def.exception ? { exception: def.exception } : {}),
      adminGroups: [],
      viewGroups: [],
    });
  }
  const tenantGuard = guard(parsed.tenantDefaults);
  parsed.tenants.forEach((t, i) => {
    const name = prefixedName(parsed.namespacePrefix, t.name);
    const clash = namespaces.find((n) => n.name === name);
    if (clash) {
      issues.push(
        issue(
          ['tenants', i, 'name'],
          `gives namespace "${name}", already used by the ${clash.kind} namespace "${clash.key}"`,
          t.name,
        ),
      );
    }
    if (t.mesh && !addons.istio.enabled) {
      issues.push(issue(['tenants', i, 'mesh'], 'requires addons.istio.enabled', t.mesh));
    }
    namespaces.push({
      key: t.name,
      name,
      kind: 'tenant',
      podSecurity: t.podSecurity,
      mesh: t.mesh,
      quota: t.quota ?? tenantGuard.quota,
      limitRange: t.limitRange ?? tenantGuard.limitRange,
      purpose: `tenant namespace of team ${t.name}`,
      // As the cluster sees them: the OIDC groups prefix, when people log in through OIDC.
      adminGroups: t.adminGroups.map((g) => clusterGroupName(parsed, g)),
      viewGroups: t.viewGroups.map((g) => clusterGroupName(parsed, g)),
    });
  });
  namespaces.forEach((n) => {
    if (n.name.length > 63) {
      const path =
        n.kind === 'tenant'
          ? ['tenants', parsed.tenants.findIndex((t) => t.name === n.key), 'name']
          : ['namespacePrefix'];
      issues.push(issue(path, `gives namespace "${n.name}" (${n.name.length} characters); at most 63 are allowed`));
    }
  });
  parsed.services.forEach((s, i) => {
    if (!namespaces.some((n) => n.key === s.namespace)) {
      issues.push(
        issue(
          ['services', i, 'namespace'],
          `is not a namespace of this environment (have: ${namespaces.map((n) => n.key).join(', ')})`,
          s.namespace,
        ),
      );
    }
  });

  checkWorkloads(parsed, namespaces, pools, issues, warnings);
  issues.push(
    ...recoveryIssues({
      provider,
      stage: parsed.stage,
      backup: parsed.backup,
      vaultEnabled: addons.vault.enabled,
      veleroEnabled: addons.velero.enabled,
      namespaces: new Map(namespaces.map((n) => [n.key, n.name])),
      statefulServices: parsed.statefulServices,
      snapshotDrivers: parsed.volumeSnapshotClasses.map((c) => c.driver),
    }),
  );

  if (parsed.adminCidrs.includes('0.0.0.0/0')) {
    warnings.push('adminCidrs contains 0.0.0.0/0: SSH and the Kubernetes API are open to the internet');
  }
  const dangerous = checkDangerousSettings(parsed);
  issues.push(...dangerous.issues);
  warnings.push(...dangerous.warnings);

  if (issues.length > 0 || !systemPool || !apiPool) return { issues, warnings };
  const { tenants: _t, tenantDefaults: _d, namespaces: _n, ...rest } = parsed;
  void _t;
  void _d;
  void _n;
  return {
    issues,
    warnings,
    spec: {
      ...rest,
      stack,
      protect: parsed.protect ?? parsed.stage === 'prod',
      nodePools: pools,
      namespaces,
      addons,
      placement: { system: systemPool, api: apiPool, ...(agentsPool ? { agents: agentsPool } : {}) },
    },
  };
}

/** Finds a namespace by key (`agents`) or fails loudly: a missing key is a programming error. */
export function namespaceOf(spec: EnvironmentSpec, key: string): NamespaceSpec {
  const ns = spec.namespaces.find((n) => n.key === key);
  if (!ns)
    throw new Error(
      `environment ${spec.stack} has no namespace "${key}" (have: ${spec.namespaces.map((n) => n.key).join(', ')})`,
    );
  return ns;
}

/** The pool a workload lands on: the one it names, else the first pool with a preferred role, else the API pool. */
export function poolFor(spec: EnvironmentSpec, explicit: string | undefined, roles: readonly PoolRole[]): NodePool {
  if (explicit !== undefined) {
    const pool = spec.nodePools.find((p) => p.name === explicit);
    if (!pool) throw new Error(`environment ${spec.stack} has no pool "${explicit}"`);
    return pool;
  }
  return spec.nodePools.find((p) => roles.includes(p.role)) ?? spec.placement.api;
}

/** Every PriorityClass name the environment defines. */
export function priorityClassNames(parsed: Pick<ParsedEnvironment, 'priorityClasses'>): string[] {
  return [...PLATFORM_PRIORITY_CLASSES.map((p) => p.name), ...parsed.priorityClasses.map((p) => p.name)];
}

/** Namespaces, pools, callers and priority classes that services, stateful services and jobs refer to. */
function checkWorkloads(
  parsed: ParsedEnvironment,
  namespaces: readonly NamespaceSpec[],
  pools: readonly NodePool[],
  issues: ConfigIssue[],
  warnings: string[],
): void {
  const namespaceKeys = namespaces.map((n) => n.key);
  const poolNames = pools.map((p) => p.name);
  const priorities = priorityClassNames(parsed);
  const workloadNames = ['api', ...parsed.services.map((s) => s.name), ...parsed.jobs.map((j) => j.name)];
  const storageClassNames = parsed.storageClasses.map((c) => c.name);
  const seen = new Map<string, string>();
  const unique = (path: PropertyKey[], namespace: string, name: string) => {
    const key = `${namespace}/${name}`;
    const previous = seen.get(key);
    if (previous)
      issues.push(issue(path, `duplicates ${previous}: workload names must be unique in a namespace`, name));
    else seen.set(key, path.join('.'));
  };
  const checkNamespace = (path: PropertyKey[], ns: string) => {
    if (!namespaceKeys.includes(ns)) {
      issues.push(issue(path, `is not a namespace of this environment (have: ${namespaceKeys.join(', ')})`, ns));
    }
  };
  const checkPool = (path: PropertyKey[], pool: string | undefined, gpus: number) => {
    if (pool !== undefined && !poolNames.includes(pool)) {
      issues.push(issue(path, `names no pool in nodePools (have: ${poolNames.join(', ')})`, pool));
    }
    // Without an explicit pool a GPU workload goes to the first `gpu`-role pool (see poolFor).
    const target = pool === undefined ? pools.find((p) => p.role === 'gpu') : pools.find((p) => p.name === pool);
    if (gpus > 0 && !target?.gpu) {
      issues.push(
        issue(
          path,
          pool === undefined
            ? `is required: the workload requests ${gpus} GPU(s) and no pool with role "gpu" and gpu: true exists`
            : `must name a pool with gpu: true, since the workload requests ${gpus} GPU(s)`,
          pool,
        ),
      );
    }
  };
  const checkPriority = (path: PropertyKey[], name: string | undefined) => {
    if (name !== undefined && !priorities.includes(name)) {
      issues.push(issue(path, `is not a PriorityClass of this environment (have: ${priorities.join(', ')})`, name));
    }
  };

  parsed.services.forEach((s, i) => {
    unique(['services', i, 'name'], s.namespace, s.name);
    checkPool(['services', i, 'pool'], s.pool, s.gpus);
    checkPriority(['services', i, 'priorityClass'], s.priorityClass);
    s.callers.forEach((c, j) => {
      if (!workloadNames.includes(c)) {
        issues.push(issue(['services', i, 'callers', j], `names no workload (have: ${workloadNames.join(', ')})`, c));
      }
    });
  });
  checkPriority(['controlPlaneApi', 'priorityClass'], parsed.controlPlaneApi.priorityClass);
  parsed.statefulServices.forEach((s, i) => {
    checkNamespace(['statefulServices', i, 'namespace'], s.namespace);
    unique(['statefulServices', i, 'name'], s.namespace, s.name);
    checkPool(['statefulServices', i, 'pool'], s.pool, 0);
    s.clients.forEach((c, j) => {
      if (!workloadNames.includes(c)) {
        issues.push(
          issue(['statefulServices', i, 'clients', j], `names no workload (have: ${workloadNames.join(', ')})`, c),
        );
      }
    });
    const sc = s.storage.storageClass;
    if (sc !== undefined && !storageClassNames.includes(sc)) {
      warnings.push(
        `statefulServices[${i}].storage.storageClass: "${sc}" is not defined in storageClasses; it must exist in the cluster`,
      );
    }
  });
  parsed.jobs.forEach((j, i) => {
    checkNamespace(['jobs', i, 'namespace'], j.namespace);
    unique(['jobs', i, 'name'], j.namespace, j.name);
    checkPool(['jobs', i, 'pool'], j.pool, j.gpus);
    checkPriority(['jobs', i, 'priorityClass'], j.priorityClass);
  });
  const defaults = parsed.storageClasses.filter((c) => c.default);
  if (defaults.length > 1) {
    issues.push(
      issue(
        ['storageClasses'],
        `must mark at most one class as default (marked: ${defaults.map((c) => c.name).join(', ')})`,
      ),
    );
  }
  const priorityNames = new Set<string>();
  parsed.priorityClasses.forEach((p, i) => {
    if (PLATFORM_PRIORITY_CLASSES.some((c) => c.name === p.name) || priorityNames.has(p.name)) {
      issues.push(
        issue(
          ['priorityClasses', i, 'name'],
          'duplicates a PriorityClass name (platform-critical, agent and batch are built in)',
          p.name,
        ),
      );
    }
    priorityNames.add(p.name);
  });
  parsed.nodePools.forEach((p, i) => {
    p.alternativeInstanceTypes.forEach((t, j) => {
      const path = ['nodePools', i, 'alternativeInstanceTypes', j];
      if (parsed.cloud.provider !== 'aws') {
        issues.push(issue(path, 'is only supported on aws (Hetzner servers have one type)', t));
        return;
      }
      const alt = instanceType('aws', t);
      const main = instanceType('aws', p.instanceType);
      if (!alt)
        issues.push(issue(path, 'is not a known aws instance type (see config/catalogue/instance-types.ts)', t));
      else if (main && (alt.vcpu !== main.vcpu || alt.memoryGiB !== main.memoryGiB)) {
        issues.push(
          issue(
            path,
            `must match ${p.instanceType} (${main.vcpu} vCPU, ${main.memoryGiB} GiB): the autoscaler assumes one node size per group`,
            t,
          ),
        );
      }
    });
  });
}
