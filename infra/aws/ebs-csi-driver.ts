/**
 * Persistent volumes on EKS: the EBS CSI driver as a managed add-on (its controller
 * assumes an IRSA role with the AWS managed driver policy) and an encrypted gp3
 * StorageClass as the cluster default. Without them every PVC (Prometheus, Vault's
 * Raft storage) stays Pending: EKS ships no default StorageClass since 1.30 and the
 * in-tree EBS plugin is gone.
 */
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { irsaTrustPolicy } from './oidc-provider';

/** The controller's service account, fixed by the add-on. */
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'ebs-csi-controller-sa' } as const;
/** The default StorageClass this module creates. */
export const DEFAULT_STORAGE_CLASS = 'gp3-encrypted';

export interface EbsCsiDriverArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuerHostPath: pulumi.Input<string>;
  /** AWS partition for the managed policy ARN. */
  readonly partition: pulumi.Input<string>;
  /** Add-on version. @default - the default version EKS offers for the cluster's minor */
  readonly addonVersion?: pulumi.Input<string>;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly provider: aws.Provider;
  /** Provider for the StorageClass. */
  readonly kubernetesProvider: k8s.Provider;
}

export class EbsCsiDriver extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;
  public readonly addon: aws.eks.Addon;
  public readonly storageClass: k8s.storage.v1.StorageClass;

  constructor(name: string, args: EbsCsiDriverArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:EbsCsiDriver', name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: 'EBS CSI driver controller (IRSA)',
        assumeRolePolicy: irsaTrustPolicy(
          args.oidcProviderArn,
          args.oidcIssuerHostPath,
          EBS_CSI_SERVICE_ACCOUNT.namespace,
          EBS_CSI_SERVICE_ACCOUNT.name,
        ),
        tags: { ...(args.tags ?? {}) },
      },
      child,
    );
    const policy = new aws.iam.RolePolicyAttachment(
      `${name}-policy`,
      {
        role: role.name,
        policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`,
      },
      child,
    );
    this.addon = new aws.eks.Addon(
      `${name}-addon`,
      {
        clusterName: args.clusterName,
        addonName: 'aws-ebs-csi-driver',
        ...(args.addonVersion ? { addonVersion: args.addonVersion } : {}),
        serviceAccountRoleArn: role.arn,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        tags: { ...(args.tags ?? {}) },
      },
      { ...child, dependsOn: [policy] },
    );
    this.storageClass = new k8s.storage.v1.StorageClass(
      `${name}-storage-class`,
      {
        metadata: {
          name: DEFAULT_STORAGE_CLASS,
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        },
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
        reclaimPolicy: 'Delete',
      },
      { parent: this, provider: args.kubernetesProvider, dependsOn: [this.addon] },
    );
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
