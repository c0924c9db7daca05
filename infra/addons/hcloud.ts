/**
 * The `hcloud` Secret in kube-system that the Hetzner cloud controller manager and
 * CSI driver read (keys `token` and `network`, the charts' defaults). Created by
 * Pulumi from the stack's secret config: the token never reaches dist/ or Helm values.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { HcloudClusterInputs } from '../cluster';
import type { AddonPrerequisiteArgs } from './types';

export const HCLOUD_SECRET = 'hcloud';
export const HCLOUD_SECRET_NAMESPACE = 'kube-system';

/** Fails with a clear message when an hcloud add-on runs on a cluster without Hetzner inputs. */
export function requireHcloud(inputs: HcloudClusterInputs | undefined, addon: string): HcloudClusterInputs {
  if (!inputs) {
    throw new Error(
      `${addon} is enabled but the cluster has no Hetzner inputs (ClusterResult.hcloud is unset); ` +
        'it runs only on cloud.provider: hcloud',
    );
  }
  return inputs;
}

export function hcloudSecret(args: AddonPrerequisiteArgs, name: string, inputs: HcloudClusterInputs): pulumi.Resource {
  return args.secret({
    name,
    metadata: { name: HCLOUD_SECRET, namespace: HCLOUD_SECRET_NAMESPACE },
    stringData: { token: inputs.token, network: inputs.networkName },
  });
}
