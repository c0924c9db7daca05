/**
 * Turns the recorded resources of an offline run into a reviewable plan: cloud
 * resources grouped by node pool and by add-on, with the inputs a reviewer cares
 * about (server type, counts, labels, chart versions) and nothing else. Generic
 * over type tokens: it needs no knowledge of the program beyond naming
 * conventions (components `agent-platform:<module>:<Type>`, pool labels from the
 * contract), so it works for every cloud module.
 */
import { readYaml } from '../../config/manifest';
import { POOL_LABEL, type EnvironmentSpec, type NodePool } from '../../config';
import { SECRET_PLACEHOLDER, type PlannedResource } from './record';

export interface KeyInput {
  readonly name: string;
  readonly value: string;
}

export interface PlanEntry {
  readonly type: string;
  readonly name: string;
  readonly inputs: readonly KeyInput[];
}

export interface PoolGroup {
  readonly pool: NodePool;
  readonly resources: readonly PlanEntry[];
}

export interface HelmRelease {
  readonly name: string;
  /** Replica settings found in the values (`server.ha.replicas=3`). */
  readonly replicas?: readonly string[];
  readonly chart?: string;
  readonly version?: string;
  readonly namespace?: string;
  readonly repository?: string;
}

export interface AddonGroup {
  /** Add-on component or release name, without the stack prefix. */
  readonly addon: string;
  /** Its Helm releases (Istio has several), in declaration order. */
  readonly releases: readonly HelmRelease[];
  readonly resources: readonly PlanEntry[];
}

export interface ManifestEntry {
  readonly type: string;
  readonly name: string;
  /** Objects in the group (counted from its YAML), when known. */
  readonly objects?: number;
  /** Files it applies, when given as files. */
  readonly files?: readonly string[];
}

export interface Plan {
  readonly stack: string;
  readonly resourceCount: number;
  readonly customCount: number;
  readonly pools: readonly PoolGroup[];
  readonly addons: readonly AddonGroup[];
  /** Cloud and cluster-wide resources, by top-level component. */
  readonly shared: readonly { readonly group: string; readonly resources: readonly PlanEntry[] }[];
  /** The manifests layer: dist/ files applied by the Kubernetes provider (ConfigGroups, ConfigFiles, single objects). */
  readonly manifests: readonly ManifestEntry[];
}

const HELM_TYPES = new Set([
  'kubernetes:helm.sh/v3:Release',
  'kubernetes:helm.sh/v4:Chart',
  'kubernetes:helm.sh/v3:Chart',
]);
const POOL_COMPONENT = /pool|nodegroup/i;
const POOL_RESOURCE = /server|nodegroup|launchtemplate|placementgroup|autoscalinggroup|instance/i;

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
const rec = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function compact(value: unknown): string {
  if (value === SECRET_PLACEHOLDER) return '(secret)';
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function labelsOf(value: unknown): string | undefined {
  const labels = rec(value);
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? undefined : keys.map((k) => `${k}=${compact(labels[k])}`).join(', ');
}

/** The inputs worth showing for a type token; every other input stays out of the plan. */
const KEY_INPUTS: Record<string, (inputs: Record<string, unknown>) => (KeyInput | undefined)[]> = {
  'hcloud:index/server:Server': (i) => [
    field('serverType', i.serverType),
    field('location', i.location),
    field('image', i.image),
    field('labels', labelsOf(i.labels)),
    field('deleteProtection', i.deleteProtection),
  ],
  'hcloud:index/loadBalancer:LoadBalancer': (i) => [
    field('loadBalancerType', i.loadBalancerType),
    field('location', i.location ?? i.networkZone),
  ],
  'hcloud:index/network:Network': (i) => [field('ipRange', i.ipRange), field('deleteProtection', i.deleteProtection)],
  'hcloud:index/networkSubnet:NetworkSubnet': (i) => [field('ipRange', i.ipRange), field('networkZone', i.networkZone)],
  'hcloud:index/placementGroup:PlacementGroup': (i) => [field('type', i.type), field('labels', labelsOf(i.labels))],
  'hcloud:index/firewall:Firewall': (i) => [
    field(
      'rules',
      Array.isArray(i.rules)
        ? i.rules
            .map(rec)
            .map(
              (r) =>
                `${str(r.direction) ?? '?'} ${str(r.protocol) ?? '?'}/${str(r.port) ?? '*'} from ${compact(r.sourceIps ?? r.destinationIps ?? [])}`,
            )
            .join('; ')
        : undefined,
    ),
  ],
  'hcloud:index/volume:Volume': (i) => [field('size', i.size), field('location', i.location)],
  'aws:eks/cluster:Cluster': (i) => [field('version', i.version), field('endpoint', endpoint(rec(i.vpcConfig)))],
  'aws:eks/nodeGroup:NodeGroup': (i) => [
    field('instanceTypes', Array.isArray(i.instanceTypes) ? i.instanceTypes.join(', ') : i.instanceTypes),
    field('capacityType', i.capacityType),
    field('scaling', scaling(rec(i.scalingConfig))),
    field('labels', labelsOf(i.labels)),
    field(
      'taints',
      Array.isArray(i.taints)
        ? i.taints
            .map(rec)
            .map((t) => `${str(t.key)}=${str(t.value) ?? ''}:${str(t.effect)}`)
            .join(', ')
        : undefined,
    ),
  ],
  'aws:ec2/vpc:Vpc': (i) => [field('cidrBlock', i.cidrBlock)],
  'aws:ec2/subnet:Subnet': (i) => [field('cidrBlock', i.cidrBlock), field('availabilityZone', i.availabilityZone)],
  'aws:ec2/launchTemplate:LaunchTemplate': (i) => [field('instanceType', i.instanceType)],
  'aws:kms/key:Key': (i) => [field('enableKeyRotation', i.enableKeyRotation)],
  'kubernetes:core/v1:Namespace': (i) => [field('name', rec(i.metadata).name)],
};

function field(name: string, value: unknown): KeyInput | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return { name, value: compact(value) };
}

function scaling(s: Record<string, unknown>): string | undefined {
  if (Object.keys(s).length === 0) return undefined;
  return `min ${compact(s.minSize)}, desired ${compact(s.desiredSize)}, max ${compact(s.maxSize)}`;
}

function endpoint(v: Record<string, unknown>): string | undefined {
  if (Object.keys(v).length === 0) return undefined;
  return `private ${compact(v.endpointPrivateAccess)}, public ${compact(v.endpointPublicAccess)}${v.publicAccessCidrs ? ` from ${compact(v.publicAccessCidrs)}` : ''}`;
}

export function keyInputs(resource: Pick<PlannedResource, 'type' | 'inputs'>): KeyInput[] {
  const pick = KEY_INPUTS[resource.type];
  if (pick) return pick(resource.inputs).filter((k): k is KeyInput => k !== undefined);
  if (HELM_TYPES.has(resource.type)) {
    const repo = rec(resource.inputs.repositoryOpts);
    return [
      field('chart', resource.inputs.chart),
      field('version', resource.inputs.version),
      field('namespace', resource.inputs.namespace),
      field('repository', repo.repo ?? resource.inputs.repo),
    ].filter((k): k is KeyInput => k !== undefined);
  }
  return [];
}

const entryOf = (r: PlannedResource): PlanEntry => ({ type: r.type, name: r.name, inputs: keyInputs(r) });

const collator = new Intl.Collator('en', { numeric: true });
/** Registration order depends on when outputs resolve: sort, so the plan is deterministic. */
const sorted = (entries: PlanEntry[]): PlanEntry[] =>
  entries.sort((a, b) => collator.compare(a.type, b.type) || collator.compare(a.name, b.name));

/** Strips a leading `<stack>-` from a resource name. */
function short(name: string, stack: string): string {
  return name.startsWith(`${stack}-`) ? name.slice(stack.length + 1) : name;
}

function poolByName(pools: readonly NodePool[], name: string, stack: string): NodePool | undefined {
  const n = short(name, stack);
  // Longest names first, so `api-workers` wins over `api`.
  return [...pools]
    .sort((a, b) => b.name.length - a.name.length)
    .find(
      (p) =>
        n === p.name || n.endsWith(`-${p.name}`) || new RegExp(`(^|-)${escape(p.name)}(-[a-z]+)?(-\\d+)?$`).test(n),
    );
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The node pool a resource belongs to, or undefined. */
function poolOf(r: PlannedResource, chain: readonly PlannedResource[], spec: EnvironmentSpec): NodePool | undefined {
  const labels = rec(r.inputs.labels);
  const label = str(labels[POOL_LABEL]);
  if (label) {
    const pool = spec.nodePools.find((p) => p.name === label);
    if (pool) return pool;
  }
  for (const ancestor of chain) {
    if (!ancestor.custom && POOL_COMPONENT.test(ancestor.type)) {
      const pool = poolByName(spec.nodePools, ancestor.name, spec.stack);
      if (pool) return pool;
    }
  }
  if (POOL_RESOURCE.test(r.type)) return poolByName(spec.nodePools, r.name, spec.stack);
  return undefined;
}

const REPLICA_KEY = /^(replicas|replicaCount|minReplicas|maxReplicas|minReplicaCount|maxReplicaCount)$/;

/** `path=value` for every replica setting in Helm values, so a reviewer sees HA sizes. */
export function replicaSettings(values: unknown, path = ''): string[] {
  if (values === SECRET_PLACEHOLDER) return [];
  if (Array.isArray(values)) return values.flatMap((v, i) => replicaSettings(v, `${path}[${i}]`));
  if (values === null || typeof values !== 'object') return [];
  return Object.entries(values as Record<string, unknown>).flatMap(([k, v]) => {
    const at = path ? `${path}.${k}` : k;
    if (REPLICA_KEY.test(k) && (typeof v === 'number' || typeof v === 'string')) return [`${at}=${v}`];
    return replicaSettings(v, at);
  });
}

function releaseOf(r: PlannedResource, spec: EnvironmentSpec): HelmRelease {
  const repo = rec(r.inputs.repositoryOpts);
  const chart = str(r.inputs.chart);
  const version = str(r.inputs.version);
  const namespace = str(r.inputs.namespace);
  const repository = str(repo.repo ?? r.inputs.repo);
  const replicas = replicaSettings(r.inputs.values);
  return {
    name: str(r.inputs.name) ?? short(short(r.name, spec.stack), spec.name),
    ...(replicas.length > 0 ? { replicas } : {}),
    ...(chart ? { chart } : {}),
    ...(version ? { version } : {}),
    ...(namespace ? { namespace } : {}),
    ...(repository ? { repository } : {}),
  };
}

const MANIFEST_GROUPS = /^kubernetes:yaml(\/v2)?:(ConfigGroup|ConfigFile)$/;

function manifestEntry(r: PlannedResource, byUrn: ReadonlyMap<string, PlannedResource>): ManifestEntry {
  const yaml = r.inputs.yaml;
  const texts =
    typeof yaml === 'string'
      ? [yaml]
      : Array.isArray(yaml)
        ? yaml.filter((y): y is string => typeof y === 'string')
        : [];
  const objects = Array.isArray(r.inputs.objs)
    ? r.inputs.objs.length
    : texts.length > 0
      ? texts.reduce((n, t) => n + readYaml(t).documents.filter((d) => d.value !== null).length, 0)
      : undefined;
  const fileInput = r.inputs.files ?? r.inputs.file;
  const files = (Array.isArray(fileInput) ? fileInput : [fileInput]).filter((f): f is string => typeof f === 'string');
  const parent = r.parent ? byUrn.get(r.parent) : undefined;
  const name = parent && r.name.startsWith(`${parent.name}-`) ? r.name.slice(parent.name.length + 1) : r.name;
  // A group holding one reviewed file's text is named after the file (infra/deploy.ts: `<parent>-<stem>`).
  if (files.length === 0 && typeof yaml === 'string') files.push(`${name}.yaml`);
  return {
    type: r.type,
    name,
    ...(objects === undefined ? {} : { objects }),
    ...(files.length > 0 ? { files } : {}),
  };
}

/** Builds the plan from a recording. */
export function summarizePlan(spec: EnvironmentSpec, resources: readonly PlannedResource[]): Plan {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const chainOf = (r: PlannedResource): PlannedResource[] => {
    const chain: PlannedResource[] = [];
    let parent = r.parent ? byUrn.get(r.parent) : undefined;
    while (parent) {
      chain.push(parent);
      parent = parent.parent ? byUrn.get(parent.parent) : undefined;
    }
    return chain;
  };
  const isAddonComponent = (r: PlannedResource) => !r.custom && /^agent-platform:addons?:/.test(r.type);
  // An add-on component with add-on components below it is an umbrella, not an add-on.
  // So is one whose type says it holds them all (`agent-platform:addons:Addons`).
  const umbrellas = new Set([
    ...resources
      .filter((r) => isAddonComponent(r) && r.parent && isAddonComponent(byUrn.get(r.parent) ?? r))
      .map((r) => r.parent!),
    ...resources.filter((r) => isAddonComponent(r) && /Add[oO]ns$/.test(r.type)).map((r) => r.urn),
  ]);

  const pools = new Map<string, PlanEntry[]>(spec.nodePools.map((p) => [p.name, []]));
  const addons = new Map<string, { releases: HelmRelease[]; resources: PlanEntry[] }>();
  const shared = new Map<string, PlanEntry[]>();
  const manifests: ManifestEntry[] = [];
  const supporting: { r: PlannedResource; prefix: string }[] = [];

  for (const r of resources) {
    if (MANIFEST_GROUPS.test(r.type)) {
      manifests.push(manifestEntry(r, byUrn));
      continue;
    }
    if (!r.custom) continue;
    const chain = chainOf(r);
    if (chain.some((a) => MANIFEST_GROUPS.test(a.type))) continue;
    const pool = poolOf(r, chain, spec);
    if (pool) {
      pools.get(pool.name)!.push(entryOf(r));
      continue;
    }
    const addonOwner = HELM_TYPES.has(r.type)
      ? r
      : chain.find((a) => HELM_TYPES.has(a.type) || (isAddonComponent(a) && !umbrellas.has(a.urn)));
    if (addonOwner) {
      // A Helm release inside an add-on component names the add-on by the component.
      const component = HELM_TYPES.has(addonOwner.type)
        ? chain.find((a) => isAddonComponent(a) && !umbrellas.has(a.urn))
        : addonOwner;
      const owner = component ?? addonOwner;
      const ownerParent = owner.parent ? byUrn.get(owner.parent) : undefined;
      const key =
        ownerParent && owner.name.startsWith(`${ownerParent.name}-`)
          ? owner.name.slice(ownerParent.name.length + 1)
          : short(short(owner.name, spec.stack), spec.name);
      const group = addons.get(key) ?? { releases: [], resources: [] };
      if (HELM_TYPES.has(r.type)) group.releases.push(releaseOf(r, spec));
      group.resources.push(entryOf(r));
      addons.set(key, group);
      continue;
    }
    const umbrella = chain.find((a) => umbrellas.has(a.urn));
    if (umbrella) {
      // Objects an umbrella creates next to its releases (a release's Secret): matched to a release below.
      supporting.push({ r, prefix: `${umbrella.name}-` });
      continue;
    }
    if (r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:helm')) {
      manifests.push(manifestEntry(r, byUrn));
      continue;
    }
    const top = chain[chain.length - 1];
    const group = top ? `${top.type} ${top.name}` : '(no component)';
    const list = shared.get(group) ?? [];
    list.push(entryOf(r));
    shared.set(group, list);
  }

  const keys = [...addons.keys()].sort((a, b) => b.length - a.length);
  for (const { r, prefix } of supporting) {
    const name = r.name.startsWith(prefix) ? r.name.slice(prefix.length) : short(short(r.name, spec.stack), spec.name);
    const key = keys.find((k) => name === k || name.startsWith(`${k}-`)) ?? '(shared by the add-ons)';
    const group = addons.get(key) ?? { releases: [], resources: [] };
    group.resources.push(entryOf(r));
    addons.set(key, group);
  }

  return {
    stack: spec.stack,
    resourceCount: resources.length,
    customCount: resources.filter((r) => r.custom).length,
    pools: spec.nodePools.map((pool) => ({ pool, resources: sorted(pools.get(pool.name) ?? []) })),
    addons: [...addons.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([addon, group]) => ({
        addon,
        releases: group.releases.sort((a, b) => collator.compare(a.name, b.name)),
        resources: sorted(group.resources),
      })),
    shared: [...shared.entries()]
      .sort(([a], [b]) => collator.compare(a, b))
      .map(([group, list]) => ({ group, resources: sorted(list) })),
    manifests: manifests.sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.type, b.type)),
  };
}
