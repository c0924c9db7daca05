/**
 * What a cloud module (infra/hcloud, infra/aws) hands to the layers above it: a
 * Kubernetes provider for the add-ons and manifests, and the cloud-specific inputs
 * the add-ons need. The add-on layer never imports a cloud module.
 */
import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { ObjectStorageCredentials } from './backup/credentials';

export interface ClusterAutoscalerInputs {
  /** `--cloud-provider` value: `hetzner` or `aws`. */
  readonly cloudProvider: 'hetzner' | 'aws';
  /** Extra command-line arguments, e.g. `--nodes=1:5:cpx42:fsn1:agents` per autoscaled pool. */
  readonly args: readonly string[];
  /** Environment variables for the autoscaler container; secrets stay Pulumi secrets. */
  readonly env: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Name of the autoscaler's ServiceAccount in kube-system, when the cloud side trusts
   * exactly that name (IRSA on AWS). @default - the chart's own name
   */
  readonly serviceAccountName?: string;
  /** Annotations on the autoscaler's ServiceAccount (IRSA role on AWS). */
  readonly serviceAccountAnnotations?: Readonly<Record<string, pulumi.Input<string>>>;
}

export interface HcloudClusterInputs {
  /** API token for the cloud controller manager and CSI driver (a Pulumi secret). */
  readonly token: pulumi.Output<string>;
  /** Name or ID of the private network the CCM routes through. */
  readonly networkName: pulumi.Input<string>;
  /**
   * Pod CIDR of the cluster: the CCM creates one network route per node inside it.
   * @default '10.42.0.0/16' (k3s's default `--cluster-cidr`)
   */
  readonly podCidr?: string;
  /** Object storage keys of the backups (secrets), where the environment declares `backup`. */
  readonly backupCredentials?: ObjectStorageCredentials;
}

/** What add-ons need from an EKS cluster (the AWS Load Balancer Controller). */
export interface AwsClusterInputs {
  readonly region: string;
  /** The VPC the controller creates target groups in (pods cannot reach IMDS to find it). */
  readonly vpcId: pulumi.Input<string>;
  /** IRSA role of the AWS Load Balancer Controller, when the environment needs it. */
  readonly loadBalancerControllerRoleArn?: pulumi.Input<string>;
}

export interface ClusterResult {
  /** Cluster name (cloud side). */
  readonly name: pulumi.Input<string>;
  /** Admin kubeconfig (a Pulumi secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** Explicit provider for everything inside the cluster; never the ambient one. */
  readonly provider: k8s.Provider;
  readonly autoscaler: ClusterAutoscalerInputs;
  /** Present on Hetzner clusters only. */
  readonly hcloud?: HcloudClusterInputs;
  /** Present on EKS clusters only. */
  readonly aws?: AwsClusterInputs;
  /**
   * IAM roles the DNS add-ons assume through IRSA (aws with `dns.provider: route53`):
   * external-dns changes the API host's record, cert-manager answers DNS-01 challenges.
   */
  readonly dnsRoles?: { readonly externalDns?: pulumi.Input<string>; readonly certManager?: pulumi.Input<string> };
  /** Resources the add-ons must wait for (node pools ready). */
  readonly readyResources: readonly pulumi.Resource[];
}
