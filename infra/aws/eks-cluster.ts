/**
 * An environment's EKS cluster, from the environment model alone: network, control
 * plane, identity, node groups, and what the add-on layer needs to reach it.
 *
 *   EksVpc ─► EksCluster (private + admin-CIDR public endpoint, all control-plane logs,
 *             Secrets encrypted with SecretsKey, API authentication mode)
 *          ─► ClusterAdmins (access entries) ─► kubeconfig + Kubernetes provider
 *          ─► ClusterOidcProvider ─► IRSA roles (cluster autoscaler, EBS CSI)
 *          ─► VpcCniAddon (NetworkPolicy on) ─► ManagedNodeGroup per pool ─► EbsCsiDriver
 *
 * A minor upgrade (kubernetes.version, one step at a time: charts-src/upgrade-step.ts)
 * follows the same edges: the control plane first; then the VPC CNI, whose version is the
 * default EKS gives the cluster's new minor (its input is the cluster's `version` output,
 * so it waits for the control plane); then every managed node group (`version` is the
 * cluster's output too, and they wait for the CNI); then the EBS CSI driver (it waits for
 * the node groups). AWS: docs.aws.amazon.com/eks/latest/userguide/update-cluster.html
 * (control plane first, then add-ons and nodes; nodes may not be newer than the control plane).
 *
 * Deletion protection: with `spec.protect` (default in prod) the cluster, its Secrets
 * key and the network are Pulumi-protected, and the cluster carries the EKS
 * `deletionProtection` flag, so neither `pulumi destroy` nor the console can delete it.
 */
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  BACKUP_NAMES,
  backupLayout,
  namespaceOf,
  needsAwsLoadBalancerController,
  type EnvironmentSpec,
} from '../../config';
import type { AwsClusterInputs, ClusterAutoscalerInputs } from '../cluster';
import { BackupIdentities, type BackupIdentitiesArgs, type BackupWriter } from './backup-identity';
import { LoadBalancerControllerRole } from './load-balancer-controller-role';
import { ClusterAdmins } from './access-entries';
import {
  AUTOSCALER_ENABLED_TAG,
  autoscalerClusterTag,
  ClusterAutoscalerRole,
  type ServiceAccountRef,
} from './autoscaler-role';
import { EksClusterRole } from './cluster-role';
import { EbsCsiDriver } from './ebs-csi-driver';
import { EksEdge } from './edge';
import { eksKubeconfig } from './kubeconfig';
import { ManagedNodeGroup, poolProblems } from './node-group';
import { NodeRole } from './node-role';
import { ClusterOidcProvider } from './oidc-provider';
import { SecretsKey } from './secrets-key';
import { VpcCniAddon } from './vpc-cni';
import { EksVpc, type NatGatewayMode } from './vpc';

/** Every control-plane log stream EKS offers; all of them go to CloudWatch. */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/** Where the autoscaler add-on runs: the IRSA trust names exactly this service account. */
export const DEFAULT_AUTOSCALER_SERVICE_ACCOUNT: ServiceAccountRef = {
  namespace: 'kube-system',
  name: 'cluster-autoscaler',
};

const IAM_PRINCIPAL = /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

export interface EksClusterArgs {
  /** Physical EKS cluster name (1-100 characters). @default `<spec.name>-<spec.stack>` */
  readonly clusterName?: string;
  /**
   * Grant the identity running `pulumi up` cluster admin through an access entry (its
   * IAM role, resolved from an assumed-role session, or its IAM user). @default true
   */
  readonly deployerIsAdmin?: boolean;
  /** More cluster admins: IAM role or user ARNs keyed by a stable name (`platform-team`). @default {} */
  readonly adminPrincipalArns?: Readonly<Record<string, string>>;
  /** @default - 'per-zone' when spec.stage is prod, else 'single' */
  readonly natGateways?: NatGatewayMode;
  /** Days CloudWatch keeps control-plane logs. @default 90 */
  readonly logRetentionDays?: number;
  /** The cluster autoscaler's service account. @default kube-system/cluster-autoscaler */
  readonly autoscalerServiceAccount?: ServiceAccountRef;
  /** KMS key for node root volumes. @default - the account's default EBS key (aws/ebs) */
  readonly volumeKmsKeyArn?: string;
  /** AWS CLI profile the kubeconfig signs with. @default - the default credential chain */
  readonly awsProfile?: string;
  /** Extra tags on every AWS resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface EksClusterComponentArgs extends EksClusterArgs {
  /** The validated environment (`cloud.provider` must be aws). */
  readonly spec: EnvironmentSpec;
}

/** CloudWatch Logs accepts only these retention periods. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557];

function validate(args: EksClusterComponentArgs, clusterName: string): void {
  const errors: pulumi.InputPropertyErrorDetails[] = [];
  const { spec } = args;
  if (spec.cloud.provider !== 'aws') {
    errors.push({
      propertyPath: 'spec.cloud.provider',
      reason: `'cloud.provider' is "${spec.cloud.provider}"; infra/aws builds only environments with provider aws`,
    });
  }
  if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(clusterName)) {
    errors.push({
      propertyPath: 'clusterName',
      reason: `'clusterName' ("${clusterName}") must be 1-100 letters, digits, "-" or "_", starting with a letter or digit`,
    });
  }
  for (const [key, arn] of Object.entries(args.adminPrincipalArns ?? {})) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(key)) {
      errors.push({
        propertyPath: `adminPrincipalArns.${key}`,
        reason: `'adminPrincipalArns' key "${key}" must be a DNS label (it names the access entry resource)`,
      });
    }
    if (!IAM_PRINCIPAL.test(arn)) {
      errors.push({
        propertyPath: `adminPrincipalArns.${key}`,
        reason: `'adminPrincipalArns.${key}' ("${arn}") must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin (not an STS session ARN)`,
      });
    }
  }
  if ((args.deployerIsAdmin ?? true) && 'deployer' in (args.adminPrincipalArns ?? {})) {
    errors.push({
      propertyPath: 'adminPrincipalArns.deployer',
      reason: '\'adminPrincipalArns\' key "deployer" is reserved for the deploying principal; choose another name',
    });
  }
  if (args.deployerIsAdmin === false && Object.keys(args.adminPrincipalArns ?? {}).length === 0) {
    errors.push({
      propertyPath: 'adminPrincipalArns',
      reason: "'deployerIsAdmin' is false and 'adminPrincipalArns' is empty: nobody could administer the cluster",
    });
  }
  for (const pool of spec.nodePools) errors.push(...poolProblems(pool));
  const retention = args.logRetentionDays ?? 90;
  if (!LOG_RETENTION_DAYS.includes(retention)) {
    errors.push({
      propertyPath: 'logRetentionDays',
      reason: `'logRetentionDays' (${retention}) must be one of CloudWatch's periods: ${LOG_RETENTION_DAYS.join(', ')}`,
    });
  }
  if (errors.length === 1) throw new pulumi.InputPropertyError(errors[0]!);
  if (errors.length > 1) {
    throw new pulumi.InputPropertiesError({
      message: `EksCluster for stack ${spec.stack} has ${errors.length} invalid inputs:\n${errors.map((e) => `  - ${e.reason}`).join('\n')}`,
      errors,
    });
  }
}

export class EksCluster extends pulumi.ComponentResource {
  public readonly clusterName: string;
  public readonly cluster: aws.eks.Cluster;
  public readonly vpc: EksVpc;
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly kubernetesProvider: k8s.Provider;
  public readonly awsProvider: aws.Provider;
  public readonly oidcProvider: ClusterOidcProvider;
  public readonly nodeGroups: Readonly<Record<string, ManagedNodeGroup>>;
  public readonly autoscaler: ClusterAutoscalerInputs;
  /** What the add-ons need from EKS (region, VPC, the load balancer controller's role). */
  public readonly awsInputs: AwsClusterInputs;
  /** Route 53 IRSA roles (dns) and the people's OIDC identity provider (oidc): infra/aws/edge.ts. */
  public readonly edge: EksEdge;
  /** What the add-on layer waits for: node groups up, CNI and storage in place, admins granted. */
  public readonly readyResources: pulumi.Resource[];

  constructor(name: string, args: EksClusterComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:EksCluster', name, {}, opts);
    const { spec } = args;
    const clusterName = args.clusterName ?? `${spec.name}-${spec.stack}`;
    validate(args, clusterName);
    this.clusterName = clusterName;
    const region = spec.cloud.region;
    const tags: Record<string, string> = {
      'agent-platform.io/platform': spec.name,
      'agent-platform.io/stack': spec.stack,
      'agent-platform.io/stage': spec.stage,
      'agent-platform.io/managed-by': 'pulumi',
      ...(args.tags ?? {}),
    };

    // The one AWS provider: every AWS resource and lookup below uses it, never the ambient one.
    const provider = new aws.Provider(`${name}-aws`, { region: region as aws.Region }, { parent: this });
    this.awsProvider = provider;
    const partition = aws.getPartitionOutput({}, { parent: this, provider }).partition;
    const base = { provider, tags };

    this.vpc = new EksVpc(
      `${name}-network`,
      {
        ...base,
        clusterName,
        region,
        zones: spec.cloud.locations,
        networkCidr: spec.cloud.networkCidr,
        natGateways: args.natGateways ?? (spec.stage === 'prod' ? 'per-zone' : 'single'),
      },
      { parent: this, protect: spec.protect },
    );
    const secretsKey = new SecretsKey(
      `${name}-secrets-key`,
      { ...base, clusterName },
      { parent: this, protect: spec.protect },
    );
    const clusterRole = new EksClusterRole(
      `${name}-cluster-role`,
      { ...base, partition, secretsKeyArn: secretsKey.keyArn },
      { parent: this },
    );
    // Created before the cluster so that EKS writes into it with our retention.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane-logs`,
      { name: `/aws/eks/${clusterName}/cluster`, retentionInDays: args.logRetentionDays ?? 90, tags },
      { parent: this, provider },
    );

    this.cluster = new aws.eks.Cluster(
      `${name}-cluster`,
      {
        name: clusterName,
        version: spec.kubernetes.version,
        roleArn: clusterRole.roleArn,
        vpcConfig: {
          subnetIds: this.vpc.privateSubnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: true,
          publicAccessCidrs: [...spec.adminCidrs],
        },
        accessConfig: {
          authenticationMode: 'API',
          // The deployer's admin grant is an explicit access entry (ClusterAdmins), owned by
          // Pulumi; the implicit creator grant would be invisible and could not be revoked.
          bootstrapClusterCreatorAdminPermissions: false,
        },
        encryptionConfig: { provider: { keyArn: secretsKey.keyArn }, resources: ['secrets'] },
        enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
        deletionProtection: spec.protect,
        tags: { ...tags, Name: clusterName },
      },
      { parent: this, provider, protect: spec.protect, dependsOn: [...clusterRole.attachments, logGroup] },
    );

    // Admins: the deployer (its role, not the STS session) plus any configured principals.
    const principals: Record<string, pulumi.Input<string>> = {};
    if (args.deployerIsAdmin ?? true) {
      const caller = aws.getCallerIdentityOutput({}, { parent: this, provider });
      principals.deployer = aws.iam.getSessionContextOutput({ arn: caller.arn }, { parent: this, provider }).issuerArn;
    }
    Object.assign(principals, args.adminPrincipalArns ?? {});
    const admins = new ClusterAdmins(
      `${name}-admins`,
      { ...base, clusterName: this.cluster.name, principals, partition },
      { parent: this },
    );

    this.kubeconfig = eksKubeconfig({
      clusterName,
      region,
      endpoint: this.cluster.endpoint,
      certificateAuthority: this.cluster.certificateAuthority.data,
      ...(args.awsProfile ? { profile: args.awsProfile } : {}),
    });
    this.kubernetesProvider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      { parent: this, dependsOn: admins.associations },
    );

    this.oidcProvider = new ClusterOidcProvider(
      `${name}-oidc`,
      { ...base, issuerUrl: this.cluster.identities.apply((ids) => oidcIssuer(ids, clusterName)) },
      { parent: this },
    );

    // EKS add-ons at the default version of the cluster's current minor: re-resolved after a
    // control-plane upgrade, so each add-on moves with it (aws eks describe-addon-versions).
    const addonVersionFor = (addonName: string) =>
      aws.eks.getAddonVersionOutput(
        { addonName, kubernetesVersion: this.cluster.version, mostRecent: false },
        { parent: this, provider },
      ).version;
    const cni = new VpcCniAddon(
      `${name}-vpc-cni`,
      { ...base, clusterName: this.cluster.name, addonVersion: addonVersionFor('vpc-cni') },
      { parent: this },
    );
    const nodeRole = new NodeRole(`${name}-node-role`, { ...base, partition }, { parent: this });
    const nodeGroups: Record<string, ManagedNodeGroup> = {};
    for (const pool of spec.nodePools) {
      nodeGroups[pool.name] = new ManagedNodeGroup(
        `${name}-${pool.name}`,
        {
          ...base,
          clusterName,
          pool,
          kubernetesVersion: this.cluster.version,
          nodeRoleArn: nodeRole.roleArn,
          subnetIds: pool.locations.map((zone) => this.vpc.privateSubnetByZone[zone]!),
          securityGroupId: this.cluster.vpcConfig.clusterSecurityGroupId,
          ...(args.volumeKmsKeyArn ? { volumeKmsKeyArn: args.volumeKmsKeyArn } : {}),
        },
        { parent: this, dependsOn: [...nodeRole.attachments, cni.addon] },
      );
    }
    this.nodeGroups = nodeGroups;
    const nodeGroupResources = Object.values(nodeGroups).map((g) => g.nodeGroup);

    const ebs = new EbsCsiDriver(
      `${name}-ebs-csi`,
      {
        ...base,
        clusterName: this.cluster.name,
        oidcProviderArn: this.oidcProvider.arn,
        oidcIssuerHostPath: this.oidcProvider.issuerHostPath,
        partition,
        kubernetesProvider: this.kubernetesProvider,
        addonVersion: addonVersionFor('aws-ebs-csi-driver'),
      },
      // Its controller is a Deployment: the add-on turns ACTIVE only once nodes exist.
      { parent: this, dependsOn: nodeGroupResources },
    );

    const serviceAccount = args.autoscalerServiceAccount ?? DEFAULT_AUTOSCALER_SERVICE_ACCOUNT;
    const autoscalerRole = new ClusterAutoscalerRole(
      `${name}-autoscaler`,
      {
        ...base,
        clusterName,
        clusterArn: this.cluster.arn,
        oidcProviderArn: this.oidcProvider.arn,
        oidcIssuerHostPath: this.oidcProvider.issuerHostPath,
        serviceAccount,
      },
      { parent: this },
    );
    this.autoscaler = {
      cloudProvider: 'aws',
      args: [`--node-group-auto-discovery=asg:tag=${AUTOSCALER_ENABLED_TAG},${autoscalerClusterTag(clusterName)}`],
      env: { AWS_REGION: region },
      serviceAccountName: serviceAccount.name,
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': autoscalerRole.roleArn },
    };
    // The ingress gateway's NLB needs the AWS Load Balancer Controller (config/cluster-needs.ts).
    const lbController = needsAwsLoadBalancerController(spec)
      ? new LoadBalancerControllerRole(
          `${name}-lb-controller`,
          {
            ...base,
            clusterName,
            oidcProviderArn: this.oidcProvider.arn,
            oidcIssuerHostPath: this.oidcProvider.issuerHostPath,
          },
          { parent: this },
        )
      : undefined;
    this.awsInputs = {
      region,
      vpcId: this.vpc.vpcId,
      ...(lbController ? { loadBalancerControllerRoleArn: lbController.roleArn } : {}),
    };
    this.edge = new EksEdge(
      `${name}-edge`,
      {
        ...base,
        spec,
        clusterName: this.cluster.name,
        oidcProviderArn: this.oidcProvider.arn,
        oidcIssuerHostPath: this.oidcProvider.issuerHostPath,
        partition,
      },
      { parent: this },
    );
    const backup = backupIdentities(
      `${name}-backup`,
      spec,
      {
        ...base,
        clusterName: this.cluster.name,
        partition,
        agentAddonVersion: addonVersionFor('eks-pod-identity-agent'),
      },
      {
        parent: this,
        dependsOn: nodeGroupResources,
      },
    );
    this.readyResources = [
      ...nodeGroupResources,
      cni.addon,
      ebs.storageClass,
      ...admins.associations,
      ...(backup?.ready ?? []),
    ];

    this.registerOutputs({
      clusterName,
      endpoint: this.cluster.endpoint,
      kubeconfig: this.kubeconfig,
      oidcProviderArn: this.oidcProvider.arn,
      autoscalerRoleArn: autoscalerRole.roleArn,
    });
  }
}

/** The OIDC issuer URL EKS reports for the cluster. */
function oidcIssuer(identities: aws.types.output.eks.ClusterIdentity[] | undefined, clusterName: string): string {
  const issuer = identities?.[0]?.oidcs?.[0]?.issuer;
  if (!issuer) throw new Error(`EKS cluster ${clusterName} reported no OIDC issuer; IRSA roles cannot be trusted`);
  return issuer;
}

/** Pod Identity roles of Velero and the Vault snapshot job, when the environment declares backups. */
function backupIdentities(
  name: string,
  spec: EnvironmentSpec,
  args: Omit<BackupIdentitiesArgs, 'bucket' | 'writers'>,
  opts: pulumi.ComponentResourceOptions,
): BackupIdentities | undefined {
  if (!spec.backup) return undefined;
  const layout = backupLayout(spec.backup, spec);
  const writers: BackupWriter[] = [
    {
      id: 'velero',
      namespace: namespaceOf(spec, 'backup').name,
      serviceAccount: BACKUP_NAMES.veleroServiceAccount,
      folder: layout.folders.velero,
    },
  ];
  if (spec.addons.vault.enabled) {
    writers.push({
      id: 'vault',
      namespace: namespaceOf(spec, 'vault').name,
      serviceAccount: BACKUP_NAMES.vaultSnapshotServiceAccount,
      folder: layout.folders.vault,
    });
  }
  return new BackupIdentities(name, { ...args, bucket: layout.bucket, writers }, opts);
}
