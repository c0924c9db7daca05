/**
 * What the nodes of an environment run besides Kubernetes itself: the k3s release
 * (Hetzner) and the gVisor release (pools with gVisor). Recorded in
 * dist/<stack>/index.json at synth, so review tools see a bump of either by comparing
 * the base's index with the new one (userData, where they end up, is a secret).
 */
import { cloudProfile } from './clouds';
import type { EnvironmentSpec } from './environment';
import { GVISOR_RELEASE, K3S_RELEASES } from './versions';

export interface RuntimeVersions {
  /** k3s release of every node (`v1.34.2+k3s1`); Hetzner only. */
  readonly k3sVersion?: string;
  /** runsc release on gVisor pools; only when a pool runs gVisor. */
  readonly gvisorVersion?: string;
}

export function runtimeVersions(spec: EnvironmentSpec): RuntimeVersions {
  return {
    ...(cloudProfile(spec.cloud.provider).distribution === 'k3s'
      ? { k3sVersion: K3S_RELEASES[spec.kubernetes.version] }
      : {}),
    ...(spec.nodePools.some((p) => p.gvisor) ? { gvisorVersion: GVISOR_RELEASE } : {}),
  };
}
