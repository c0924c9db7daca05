/**
 * Validates an environment against Hetzner's catalogue and limits BEFORE any resource
 * is registered (the checks themselves are in spec-check.ts, shared with synth):
 * a plan that cannot be built fails with every problem at once; warnings go to
 * pulumi.log.warn.
 */
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec } from '../../config';
import { checkHcloudSpec, hcloudSpecMessage } from './spec-check';
import type { SubnetPlan } from './subnets';

export { checkHcloudSpec };

export interface HcloudPlan {
  readonly subnets: SubnetPlan;
  /** Warnings (also sent to pulumi.log.warn by `validateHcloudSpec`). */
  readonly warnings: readonly string[];
}

/**
 * Validates and logs warnings; throws `pulumi.InputPropertiesError` listing every
 * problem. Call before registering any resource.
 */
export function validateHcloudSpec(spec: EnvironmentSpec): HcloudPlan {
  const { problems, warnings, subnets } = checkHcloudSpec(spec);
  for (const warning of warnings) void pulumi.log.warn(warning);
  if (problems.length > 0 || !subnets) {
    throw new pulumi.InputPropertiesError({ message: hcloudSpecMessage(spec, problems), errors: problems });
  }
  return { subnets, warnings };
}
