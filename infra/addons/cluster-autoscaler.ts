/**
 * cluster-autoscaler for the environment's cloud. The cloud module supplies what is
 * cloud-specific (ClusterResult.autoscaler: provider, `--nodes` pools, environment,
 * ServiceAccount annotations); the stack file supplies the tuning. Environment values
 * (the Hetzner token, the per-pool cloud-init with the k3s join token) go into a
 * Kubernetes Secret created here, never into Helm values or dist/.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CLUSTER_AUTOSCALER_TAGS, type EnvironmentSpec } from '../../config';
import type { ClusterAutoscalerInputs } from '../cluster';
import { resources, restrictedContainer, restrictedPod, systemPlacement } from './common';
import type { AddonDefinition } from './types';

/** Name of the Secret the autoscaler reads its environment from (`envFromSecret`). */
export const CLUSTER_AUTOSCALER_ENV_SECRET = 'cluster-autoscaler-env';
const AUTOSCALER = resources('100m', '300Mi', '500m', '600Mi');

/**
 * One item of the chart's `autoscalingGroups`. The chart renders it back into the flag
 * (cluster-autoscaler chart 9.52.1, templates/deployment.yaml):
 * `--nodes={{ .minSize }}:{{ .maxSize }}:{{ .instanceType }}:{{ .region }}:{{ .name }}`
 * when cloudProvider is hetzner, `--nodes={{ .minSize }}:{{ .maxSize }}:{{ .name }}` otherwise.
 */
export interface AutoscalingGroup {
  readonly name: string;
  readonly minSize: number;
  readonly maxSize: number;
  /** Hetzner only: server type and location of the group's nodes. */
  readonly instanceType?: string;
  readonly region?: string;
}

/** What a `--nodes` value holds after MIN:MAX, per provider (the Hetzner provider's node-group spec). */
const NODES_SHAPE: Record<ClusterAutoscalerInputs['cloudProvider'], { pattern: RegExp; shape: string }> = {
  hetzner: { pattern: /^(\d+):(\d+):([^:]+):([^:]+):([^:]+)$/, shape: 'MIN:MAX:TYPE:LOCATION:NAME' },
  aws: { pattern: /^(\d+):(\d+):([^:]+)$/, shape: 'MIN:MAX:NAME' },
};

function autoscalingGroup(
  cloudProvider: ClusterAutoscalerInputs['cloudProvider'],
  match: RegExpExecArray,
): AutoscalingGroup {
  const [, min, max, ...rest] = match as unknown as string[];
  const sizes = { minSize: Number(min), maxSize: Number(max) };
  if (cloudProvider === 'hetzner') {
    const [instanceType, region, name] = rest as [string, string, string];
    return { name, ...sizes, instanceType, region };
  }
  return { name: rest[0]!, ...sizes };
}

/**
 * Splits the cloud module's arguments into the chart's `autoscalingGroups` (from
 * `--nodes`, split into the fields the chart renders back into the same flag) and
 * `extraArgs` (every other `--flag=value`). A repeated flag other than `--nodes`
 * is refused: the chart's extraArgs is a map.
 */
export function splitAutoscalerArgs(
  args: readonly string[],
  cloudProvider: ClusterAutoscalerInputs['cloudProvider'],
): {
  groups: AutoscalingGroup[];
  extraArgs: Record<string, string>;
} {
  const groups: AutoscalingGroup[] = [];
  const extraArgs: Record<string, string> = {};
  args.forEach((arg, i) => {
    const flag = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!flag) {
      throw new Error(
        `cluster.autoscaler.args[${i}] ("${arg}") is not a --flag or --flag=value argument; fix the cloud module that built it`,
      );
    }
    const [, key, value = 'true'] = flag as unknown as [string, string, string | undefined];
    if (key === 'nodes') {
      const { pattern, shape } = NODES_SHAPE[cloudProvider];
      const nodes = pattern.exec(value);
      if (!nodes) {
        throw new Error(
          `cluster.autoscaler.args[${i}] ("${arg}") must be --nodes=${shape} on ${cloudProvider} (got "${value}")`,
        );
      }
      groups.push(autoscalingGroup(cloudProvider, nodes));
      return;
    }
    if (key in extraArgs) {
      throw new Error(
        `cluster.autoscaler.args[${i}] repeats --${key}; only --nodes may be given more than once (the chart's extraArgs is a map)`,
      );
    }
    extraArgs[key] = value;
  });
  return { groups, extraArgs };
}

/** The autoscaler tuning from the stack file, as flags. */
export function tuningArgs(spec: EnvironmentSpec): Record<string, string> {
  const s = spec.addons.clusterAutoscaler;
  return {
    'scale-down-unneeded-time': s.scaleDownUnneededTime,
    'scale-down-utilization-threshold': String(s.scaleDownUtilizationThreshold),
    'max-node-provision-time': s.maxNodeProvisionTime,
    'balance-similar-node-groups': String(s.balanceSimilarNodeGroups),
    expander: s.expander,
    // Add-on pods with local emptyDir (Prometheus WAL, Vault) must not pin nodes forever.
    'skip-nodes-with-local-storage': 'false',
  };
}

function autoscalerValues(
  spec: EnvironmentSpec,
  autoscaler: ClusterAutoscalerInputs,
  clusterName: pulumi.Input<string>,
) {
  const { groups, extraArgs } = splitAutoscalerArgs(autoscaler.args, autoscaler.cloudProvider);
  const tuning = tuningArgs(spec);
  for (const key of Object.keys(tuning)) {
    if (key in extraArgs) {
      throw new Error(
        `cluster.autoscaler.args sets --${key}, which addons.clusterAutoscaler controls; remove it from the cloud module`,
      );
    }
  }
  if (autoscaler.cloudProvider === 'hetzner' && groups.length === 0) {
    throw new Error(
      'cluster.autoscaler.args has no --nodes=MIN:MAX:TYPE:LOCATION:NAME pool on hetzner: the autoscaler would manage nothing; ' +
        'give a pool min < max, or set addons.clusterAutoscaler.enabled: false',
    );
  }
  // On AWS the chart renders --node-group-auto-discovery itself from autoDiscovery;
  // pass the cloud module's tags through it so the flag appears exactly once.
  const discovery = extraArgs['node-group-auto-discovery'];
  delete extraArgs['node-group-auto-discovery'];
  if (discovery !== undefined && !discovery.startsWith('asg:tag=')) {
    throw new Error(`cluster.autoscaler.args: --node-group-auto-discovery (${discovery}) must be asg:tag=TAG[,TAG...]`);
  }
  const discoveryTags = discovery?.slice('asg:tag='.length).split(',');
  const hasEnv = Object.keys(autoscaler.env).length > 0;
  return {
    cloudProvider: autoscaler.cloudProvider,
    image: { tag: CLUSTER_AUTOSCALER_TAGS[spec.kubernetes.version] },
    ...(groups.length > 0 ? { autoscalingGroups: groups } : {}),
    ...(autoscaler.cloudProvider === 'aws'
      ? {
          autoDiscovery: { clusterName, ...(discoveryTags ? { tags: discoveryTags } : {}) },
          awsRegion: spec.cloud.region,
        }
      : {}),
    extraArgs: { ...extraArgs, ...tuning },
    ...(hasEnv ? { envFromSecret: CLUSTER_AUTOSCALER_ENV_SECRET } : {}),
    rbac: {
      serviceAccount: {
        create: true,
        ...(autoscaler.serviceAccountName ? { name: autoscaler.serviceAccountName } : {}),
        annotations: { ...(autoscaler.serviceAccountAnnotations ?? {}) },
      },
    },
    replicaCount: 1,
    priorityClassName: 'system-cluster-critical',
    resources: AUTOSCALER,
    ...systemPlacement(spec),
    securityContext: restrictedPod(65534),
    containerSecurityContext: restrictedContainer(),
  };
}

export const clusterAutoscaler: AddonDefinition = {
  name: 'clusterAutoscaler',
  release: 'cluster-autoscaler',
  purpose: 'adds and removes nodes of the autoscaled pools',
  enabled: (spec) => spec.addons.clusterAutoscaler.enabled,
  chartVersionOverride: (spec) => spec.addons.clusterAutoscaler.chartVersion,
  namespace: () => 'kube-system',
  // Nodes it adds are initialised by the CCM (Hetzner).
  dependsOn: () => ['hcloudCcm'],
  crdGroups: [],
  admissionWebhooks: () => false,
  placement: 'system',
  values: ({ spec, cluster }) => autoscalerValues(spec, cluster.autoscaler, cluster.name),
  prerequisites: ({ ctx, name, opts }) => {
    const env = ctx.cluster.autoscaler.env;
    if (Object.keys(env).length === 0) return [];
    return [
      new k8s.core.v1.Secret(
        `${name}-env`,
        {
          metadata: { name: CLUSTER_AUTOSCALER_ENV_SECRET, namespace: ctx.namespace },
          type: 'Opaque',
          stringData: pulumi.secret(pulumi.output(env as Record<string, pulumi.Input<string>>)),
        },
        opts,
      ),
    ];
  },
};
