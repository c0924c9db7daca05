/**
 * Whether the gateway's Service needs the AWS Load Balancer Controller (the default of
 * `addons.awsLoadBalancerController.enabled`, resolved once by config/environment.ts).
 * A leaf module: the resolver reads it without importing config/cluster-needs.ts, which
 * reads the resolved types (no import cycle).
 */
import type { Cloud } from './clouds/types';

export function awsLoadBalancerControllerNeeded(provider: Cloud, istioEnabled: boolean): boolean {
  return provider === 'aws' && istioEnabled;
}
