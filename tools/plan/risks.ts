/**
 * Risk flags of the plan: what a change does to the running platform, from the
 * stack file and the program's resources at the base and now. Versions (Kubernetes
 * minor, k3s, gVisor) come from dist/<stack>/index.json (tools/diff/version-risks.ts,
 * shared with the manifest diff); add-on charts and images from the Helm releases the
 * program declares; pools from the stack files; stateful deletions and protection
 * from the recorded resources.
 */
import type { EnvironmentSpec, NodePool } from '../../config';
import { versionRisks, type RecordedVersions } from '../diff/version-risks';
import { changedPaths, type ResourceChange } from './changes';
import type { PlannedResource } from './record';

export type PlanRiskCategory = 'versions' | 'addon-charts' | 'images' | 'pool-shrink' | 'instance-type' | 'stateful';

export const PLAN_RISK_TITLES: Readonly<Record<PlanRiskCategory, string>> = {
  versions: 'Kubernetes or node runtime version changed',
  'addon-charts': 'Add-on chart version changed',
  images: 'Add-on image changed',
  'pool-shrink': 'Node pool shrinks',
  'instance-type': 'Instance type changed',
  stateful: 'Stateful resource deleted or unprotected',
};

export interface PlanRisk {
  readonly category: PlanRiskCategory;
  readonly message: string;
}

export interface PlanRiskInputs {
  readonly baseSpec?: EnvironmentSpec;
  readonly spec: EnvironmentSpec;
  readonly baseVersions?: RecordedVersions;
  readonly versions?: RecordedVersions;
  readonly baseResources?: readonly PlannedResource[];
  readonly resources: readonly PlannedResource[];
  readonly changes?: readonly ResourceChange[];
}

const HELM_RELEASE = /^kubernetes:helm\.sh\/v\d:(Release|Chart)$/;
const IMAGE_PATH = /(^|\.)(image|tag|digest|imageTag|repository)$/i;
/** Resources whose deletion loses data or identity the platform cannot rebuild by itself. */
const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  'hcloud:index/volume:Volume': 'volume (its data)',
  'hcloud:index/network:Network': 'private network (every node detached)',
  'hcloud:index/loadBalancer:LoadBalancer': 'API load balancer (its public IP)',
  'aws:eks/cluster:Cluster': 'EKS cluster (etcd and every object in it)',
  'aws:kms/key:Key': 'KMS key (Secrets encrypted with it become unreadable)',
  'aws:ebs/volume:Volume': 'EBS volume (its data)',
  'aws:ec2/vpc:Vpc': 'VPC',
};

function releaseName(r: PlannedResource): string {
  const name = r.inputs.name;
  return typeof name === 'string' ? name : r.name;
}

function addonRisks(before: readonly PlannedResource[], after: readonly PlannedResource[]): PlanRisk[] {
  const was = new Map(before.filter((r) => HELM_RELEASE.test(r.type)).map((r) => [r.urn, r]));
  const risks: PlanRisk[] = [];
  for (const r of after.filter((x) => HELM_RELEASE.test(x.type))) {
    const old = was.get(r.urn);
    if (!old) continue;
    const chart = String(r.inputs.chart ?? releaseName(r));
    if (old.inputs.version !== r.inputs.version) {
      risks.push({
        category: 'addon-charts',
        message: `${releaseName(r)}: chart ${chart} ${String(old.inputs.version)} → ${String(r.inputs.version)} (Helm upgrades it in place: read the chart's upgrade notes, CRD changes and the Kubernetes minors it supports)`,
      });
    }
    for (const path of changedPaths(old.inputs.values, r.inputs.values).filter((p) => IMAGE_PATH.test(p))) {
      risks.push({
        category: 'images',
        message: `${releaseName(r)}: values.${path} changed (its pods restart with it)`,
      });
    }
  }
  return risks;
}

function poolRisks(base: EnvironmentSpec, spec: EnvironmentSpec): PlanRisk[] {
  const risks: PlanRisk[] = [];
  const now = new Map(spec.nodePools.map((p) => [p.name, p]));
  for (const old of base.nodePools) {
    const pool = now.get(old.name);
    if (!pool) {
      risks.push({
        category: 'pool-shrink',
        message: `pool ${old.name} removed: its ${runningCount(old)} nodes are deleted with their pods`,
      });
      continue;
    }
    if (pool.initial < old.initial) {
      risks.push({
        category: 'pool-shrink',
        message: `pool ${old.name}: ${old.initial - pool.initial} of the ${old.initial} servers the program created are deleted (initial ${old.initial} → ${pool.initial}); their pods are evicted`,
      });
    }
    if (pool.max < old.max) {
      risks.push({
        category: 'pool-shrink',
        message: `pool ${old.name}: max ${old.max} → ${pool.max}, below what may be running now (${runningCount(old)}; the live count is unknown offline): capacity the workloads use may disappear`,
      });
    } else if (pool.min < old.min) {
      risks.push({
        category: 'pool-shrink',
        message: `pool ${old.name}: min ${old.min} → ${pool.min}: the autoscaler may remove nodes down to ${pool.min}`,
      });
    }
    if (pool.instanceType !== old.instanceType) {
      risks.push({
        category: 'instance-type',
        message: `pool ${old.name}: ${old.instanceType} → ${pool.instanceType} (${describeType(old)} → ${describeType(pool)}): ${
          spec.cloud.provider === 'hcloud'
            ? 'each running server is powered off and resized; autoscaled nodes come up with the new type'
            : 'the node group is replaced: every node drained and recreated'
        }`,
      });
    }
  }
  return risks;
}

function runningCount(pool: NodePool): string {
  return pool.autoscaled && pool.max > pool.initial ? `${pool.initial}–${pool.max}` : String(pool.initial);
}

function describeType(pool: NodePool): string {
  return `${pool.instance.vcpu} vCPU, ${pool.instance.memoryGiB} GiB`;
}

function statefulRisks(
  before: readonly PlannedResource[],
  after: readonly PlannedResource[],
  changes: readonly ResourceChange[],
): PlanRisk[] {
  const risks: PlanRisk[] = [];
  for (const change of changes) {
    const what = STATEFUL_TYPES[change.type];
    if (!what || (change.kind !== 'delete' && change.kind !== 'replace')) continue;
    risks.push({
      category: 'stateful',
      message: `${change.name}: ${what} ${change.kind === 'delete' ? 'deleted' : 'replaced'}${change.protect ? ' (protected: `pulumi up` refuses until protect is lifted)' : ''}`,
    });
  }
  const now = new Map(after.map((r) => [r.urn, r]));
  for (const old of before) {
    const r = now.get(old.urn);
    if (!r) continue;
    if (old.protect && !r.protect) {
      risks.push({ category: 'stateful', message: `${r.name}: Pulumi protect removed (a later change may delete it)` });
    }
    for (const flag of ['deleteProtection', 'deletionProtection'] as const) {
      if (old.inputs[flag] === true && r.inputs[flag] !== true) {
        risks.push({ category: 'stateful', message: `${r.name}: ${flag} turned off in the cloud` });
      }
    }
  }
  return risks;
}

/** Every plan risk, in category order. */
export function planRisks(inputs: PlanRiskInputs): PlanRisk[] {
  const risks: PlanRisk[] = [
    ...versionRisks(inputs.baseVersions, inputs.versions).map((message) => ({
      category: 'versions' as const,
      message,
    })),
  ];
  if (inputs.baseResources) risks.push(...addonRisks(inputs.baseResources, inputs.resources));
  if (inputs.baseSpec) risks.push(...poolRisks(inputs.baseSpec, inputs.spec));
  if (inputs.baseResources && inputs.changes) {
    risks.push(...statefulRisks(inputs.baseResources, inputs.resources, inputs.changes));
  }
  const order = Object.keys(PLAN_RISK_TITLES);
  return risks
    .map((r, i) => ({ r, i }))
    .sort((a, b) => order.indexOf(a.r.category) - order.indexOf(b.r.category) || a.i - b.i)
    .map(({ r }) => r);
}
