/**
 * One profile per cloud (config/clouds/<cloud>.ts): rules, limits, defaults and the
 * instance catalogue. The model, the cloud modules (infra/<cloud>/) and the cost tool
 * read a cloud's facts here, by `cloud.provider`, instead of branching on its name.
 */
import { AWS } from './aws';
import { HCLOUD } from './hcloud';
import type { Cloud, CloudProfile } from './types';

export * from './types';
export {
  HCLOUD,
  HCLOUD_LIMITS,
  HCLOUD_LOCATIONS,
  hcloudLocationProblem,
  K3S_CLUSTER_CIDR,
  K3S_SERVICE_CIDR,
} from './hcloud';
export { AWS, AWS_MIN_ZONES, AWS_VPC_PREFIXES, awsZoneSlot } from './aws';

/** Every cloud's profile, by `cloud.provider`. */
export const CLOUD_PROFILES: Readonly<Record<Cloud, CloudProfile>> = { hcloud: HCLOUD, aws: AWS };

/** The profile of one cloud. */
export function cloudProfile(cloud: Cloud): CloudProfile {
  return CLOUD_PROFILES[cloud];
}
