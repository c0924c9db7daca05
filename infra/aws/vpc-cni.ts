/**
 * The Amazon VPC CNI as an EKS managed add-on, with NetworkPolicy enforcement on.
 * EKS installs the CNI by default without enforcement, and the platform's isolation
 * (agent egress, namespace default-deny) is written as NetworkPolicies: without this
 * they would be accepted and ignored. Created before the node groups, so no pod runs
 * on a node where policies are not enforced yet.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/** The add-on's configuration: the network policy agent on every node. */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: 'true' } as const;

export interface VpcCniAddonArgs {
  readonly clusterName: pulumi.Input<string>;
  /** Add-on version. @default - the default version EKS offers for the cluster's minor */
  readonly addonVersion?: pulumi.Input<string>;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly provider: aws.Provider;
}

export class VpcCniAddon extends pulumi.ComponentResource {
  public readonly addon: aws.eks.Addon;

  constructor(name: string, args: VpcCniAddonArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:VpcCniAddon', name, {}, opts);
    this.addon = new aws.eks.Addon(
      `${name}-addon`,
      {
        clusterName: args.clusterName,
        addonName: 'vpc-cni',
        ...(args.addonVersion ? { addonVersion: args.addonVersion } : {}),
        configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
        // EKS created a self-managed aws-node at cluster creation; take it over.
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        tags: { ...(args.tags ?? {}) },
      },
      { parent: this, provider: args.provider },
    );
    this.registerOutputs({ addonName: this.addon.addonName });
  }
}
