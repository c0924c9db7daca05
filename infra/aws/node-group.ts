/**
 * One EKS managed node group per environment pool, with its own launch template:
 * encrypted gp3 root volume, IMDSv2 only with a hop limit of 1 (pods cannot reach the
 * node's credentials), no public address, private subnets only, and for gVisor pools
 * the user data that installs runsc. Labels and taints come from the shared contract
 * (config/contract.ts), the same constants the pods' nodeSelector/tolerations use.
 *
 * The autoscaler owns `desiredSize` once the group exists: it is set from `initial`
 * at creation and ignored afterwards (`ignoreChanges`), so a later `pulumi up` never
 * scales a busy pool back down (or an idle one up).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { AWS, nodeLabels, type NodePool, type Taint } from '../../config';
import { AUTOSCALER_ENABLED_TAG, autoscalerClusterTag } from './autoscaler-role';
import { gvisorUserData } from './gvisor-user-data';

/** Kubernetes taint effect → EKS API spelling. */
export const EKS_TAINT_EFFECTS: Record<Taint['effect'], string> = {
  NoSchedule: 'NO_SCHEDULE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
};

/** The resource path EKS reads the desired size from; listed in `ignoreChanges`. */
export const DESIRED_SIZE_PATH = 'scalingConfig.desiredSize';

/** Root device of the AL2023 EKS AMIs. */
const ROOT_DEVICE = '/dev/xvda';

/** The EKS-optimized AL2023 AMI family for a pool: CPU architecture, and NVIDIA drivers for GPU pools. */
export function amiTypeFor(pool: Pick<NodePool, 'gpu' | 'instance'>): string {
  const arch = pool.instance.architecture === 'arm64' ? 'ARM_64' : 'x86_64';
  return `AL2023_${arch}_${pool.gpu ? 'NVIDIA' : 'STANDARD'}`;
}

/**
 * Tags the cluster autoscaler reads: discovery (`enabled`, `<cluster>=owned`) and the
 * node template (labels and taints) it needs to scale a group up from zero nodes.
 */
export function autoscalerTags(clusterName: string, pool: NodePool): Record<string, string> {
  const tags: Record<string, string> = {
    [AUTOSCALER_ENABLED_TAG]: 'true',
    [autoscalerClusterTag(clusterName)]: 'owned',
  };
  for (const [key, value] of Object.entries(nodeLabels(pool))) {
    tags[`k8s.io/cluster-autoscaler/node-template/label/${key}`] = value;
  }
  for (const taint of pool.taints) {
    tags[`k8s.io/cluster-autoscaler/node-template/taint/${taint.key}`] = `${taint.value ?? ''}:${taint.effect}`;
  }
  return tags;
}

/** What a pool asks of EKS that this module cannot give (checked before anything is created). */
export function poolProblems(
  pool: Pick<NodePool, 'name' | 'role' | 'gpu' | 'gvisor'>,
): pulumi.InputPropertyErrorDetails[] {
  const problems: pulumi.InputPropertyErrorDetails[] = [];
  if (pool.gvisor && pool.gpu) {
    problems.push({
      propertyPath: `nodePools.${pool.name}.gvisor`,
      reason: `pool "${pool.name}" sets both gpu and gvisor: GPU pods under runsc need nvproxy, which this module does not configure; run GPU pods in their own pool without gvisor`,
    });
  }
  // The profile's rule (config/clouds/aws.ts), the one the resolver applies to the stack file.
  const controlPlane = AWS.controlPlane;
  if (pool.role === 'control-plane' && controlPlane.kind === 'managed') {
    problems.push({
      propertyPath: `nodePools.${pool.name}.role`,
      reason: `pool "${pool.name}" ${controlPlane.refusal}`,
    });
  }
  return problems;
}

export interface ManagedNodeGroupArgs {
  /** EKS cluster name (physical). */
  readonly clusterName: string;
  /** The pool from the environment (`spec.nodePools[i]`). */
  readonly pool: NodePool;
  /** Kubernetes minor the nodes run; follows the cluster's. */
  readonly kubernetesVersion: pulumi.Input<string>;
  readonly nodeRoleArn: pulumi.Input<string>;
  /** Private subnets of the pool's zones. */
  readonly subnetIds: pulumi.Input<string>[];
  /** The cluster security group (control plane ↔ nodes, node ↔ node). */
  readonly securityGroupId: pulumi.Input<string>;
  /** KMS key for the root volumes. @default - the account's default EBS key (aws/ebs) */
  readonly volumeKmsKeyArn?: pulumi.Input<string>;
  /** gVisor release for gVisor pools. @default GVISOR_RELEASE (config/versions.ts) */
  readonly gvisorRelease?: string;
  /** Share of nodes replaced at once during updates. @default 33 (seed 004) */
  readonly maxUnavailablePercentage?: number;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly provider: aws.Provider;
}

export class ManagedNodeGroup extends pulumi.ComponentResource {
  public readonly nodeGroup: aws.eks.NodeGroup;
  public readonly launchTemplate: aws.ec2.LaunchTemplate;
  /** Name of the Auto Scaling group EKS created for the node group. */
  public readonly autoscalingGroupName: pulumi.Output<string>;

  constructor(name: string, args: ManagedNodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:ManagedNodeGroup', name, {}, opts);
    const { pool } = args;
    const problems = poolProblems(pool);
    if (problems.length > 0) throw new pulumi.InputPropertyError(problems[0]!);
    const maxUnavailable = args.maxUnavailablePercentage ?? 33;
    if (!Number.isInteger(maxUnavailable) || maxUnavailable < 1 || maxUnavailable > 100) {
      throw new pulumi.InputPropertyError({
        propertyPath: 'maxUnavailablePercentage',
        reason: `'maxUnavailablePercentage' (${maxUnavailable}) must be a whole number from 1 to 100`,
      });
    }
    const baseTags = args.tags ?? {};
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const nodeName = `${args.clusterName}-${pool.name}`;

    this.launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-launch-template`,
      {
        description: `EKS managed node group ${nodeName}${pool.gvisor ? ' (gVisor)' : ''}`,
        updateDefaultVersion: true,
        blockDeviceMappings: [
          {
            deviceName: ROOT_DEVICE,
            ebs: {
              volumeSize: pool.volumeSizeGiB,
              volumeType: 'gp3',
              encrypted: 'true',
              ...(args.volumeKmsKeyArn ? { kmsKeyId: args.volumeKmsKeyArn } : {}),
              deleteOnTermination: 'true',
            },
          },
        ],
        metadataOptions: {
          httpEndpoint: 'enabled',
          httpTokens: 'required',
          // 1: the response dies at the node; pods (one hop further) cannot read node credentials.
          httpPutResponseHopLimit: 1,
          instanceMetadataTags: 'disabled',
        },
        networkInterfaces: [
          {
            deviceIndex: 0,
            associatePublicIpAddress: 'false',
            deleteOnTermination: 'true',
            securityGroups: [args.securityGroupId],
          },
        ],
        ...(pool.gvisor
          ? {
              userData: Buffer.from(
                gvisorUserData(args.gvisorRelease ? { release: args.gvisorRelease } : {}),
                'utf8',
              ).toString('base64'),
            }
          : {}),
        tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({
          resourceType,
          tags: { ...baseTags, Name: nodeName },
        })),
        tags: { ...baseTags, Name: nodeName },
      },
      child,
    );

    const autoscaler = autoscalerTags(args.clusterName, pool);
    this.nodeGroup = new aws.eks.NodeGroup(
      `${name}-node-group`,
      {
        clusterName: args.clusterName,
        version: args.kubernetesVersion,
        nodeRoleArn: args.nodeRoleArn,
        subnetIds: args.subnetIds,
        amiType: amiTypeFor(pool),
        instanceTypes: [pool.instanceType],
        capacityType: pool.capacity === 'spot' ? 'SPOT' : 'ON_DEMAND',
        scalingConfig: { minSize: pool.min, maxSize: pool.max, desiredSize: pool.initial },
        updateConfig: { maxUnavailablePercentage: maxUnavailable },
        labels: nodeLabels(pool),
        taints: pool.taints.map((t) => ({
          key: t.key,
          ...(t.value === undefined ? {} : { value: t.value }),
          effect: EKS_TAINT_EFFECTS[t.effect],
        })),
        launchTemplate: {
          id: this.launchTemplate.id,
          version: this.launchTemplate.latestVersion.apply((v) => String(v)),
        },
        tags: { ...baseTags, Name: nodeName, ...autoscaler },
      },
      // Auto-named (no fixed nodeGroupName), so a change that replaces the group
      // creates the new one before the old one is drained and deleted.
      { ...child, ignoreChanges: [DESIRED_SIZE_PATH] },
    );

    // Node group tags are not copied to its Auto Scaling group, where the autoscaler
    // (discovery, scale-from-zero templates) and its IAM conditions read them.
    this.autoscalingGroupName = this.nodeGroup.resources.apply((resources) => {
      const asg = resources?.[0]?.autoscalingGroups?.[0]?.name;
      if (!asg) throw new Error(`node group ${nodeName} reported no Auto Scaling group`);
      return asg;
    });
    for (const [key, value] of Object.entries(autoscaler)) {
      // Named by tag key, not position: adding a label renames no other tag resource.
      new aws.autoscaling.Tag(
        `${name}-asg-${key.replace(/^k8s\.io\/cluster-autoscaler\//, '').replace(/[^A-Za-z0-9]+/g, '-')}`,
        { autoscalingGroupName: this.autoscalingGroupName, tag: { key, value, propagateAtLaunch: false } },
        child,
      );
    }

    this.registerOutputs({ nodeGroupName: this.nodeGroup.nodeGroupName });
  }
}
