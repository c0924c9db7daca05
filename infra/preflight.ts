/**
 * Every check `pulumi up` makes before it registers a resource, runnable without
 * Pulumi (nothing here loads it at runtime): `definePlatform` runs it on the verified
 * dist/<stack>/, and `npm run synth` on what it is about to write, so an environment
 * that synth accepts is one that deploy accepts, and a refusal reads the same on both.
 *
 *   - replicas of autoscaled workloads left to the autoscaler (dist-checks.ts)
 *   - add-on namespaces exist, every custom API group comes from an enabled add-on,
 *     add-ons that use another's CRDs install after it (dist-checks.ts, addons/catalogue.ts)
 *   - Hetzner: locations, server types, 100 servers per network, placement groups,
 *     subnets, name lengths (hcloud/spec-check.ts)
 *   - the add-ons' pods fit their pools, with the arithmetic (addons/capacity.ts)
 */
import type { EnvironmentSpec } from '../config';
import { checkDistAgainstAddons, checkReplicaOwnership, DistError, type DistFiles } from './dist-checks';
import { checkHcloudSpec, hcloudSpecMessage } from './hcloud/spec-check';
import { checkAddonCapacity } from './addons/capacity';
import { PreflightError } from './preflight-error';

export { PreflightError };

function checkCloud(spec: EnvironmentSpec): void {
  if (spec.cloud.provider !== 'hcloud') return;
  const { problems } = checkHcloudSpec(spec);
  if (problems.length > 0) throw new PreflightError(hcloudSpecMessage(spec, problems));
}

/** The checks, in the order deploy runs them. */
const CHECKS: readonly ((spec: EnvironmentSpec, dist: DistFiles) => void)[] = [
  (_spec, dist) => checkReplicaOwnership(dist),
  (spec, dist) => checkDistAgainstAddons(spec, dist),
  (spec) => checkCloud(spec),
  (spec) => checkAddonCapacity(spec),
];

/** A refusal of the user's input (not a bug): the refusal classes, and plain Errors of the add-on graph. */
function isRefusal(error: unknown): error is Error {
  return (
    error instanceof DistError ||
    error instanceof PreflightError ||
    (error instanceof Error && error.constructor === Error)
  );
}

/** Every refusal, each as the error deploy throws (empty: deploy will accept it). */
export function preflightErrors(spec: EnvironmentSpec, dist: DistFiles): Error[] {
  const errors: Error[] = [];
  for (const check of CHECKS) {
    try {
      check(spec, dist);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      errors.push(error);
    }
  }
  return errors;
}

/** Throws the first refusal: what `definePlatform` runs before registering anything. */
export function deployPreflight(spec: EnvironmentSpec, dist: DistFiles): void {
  const [first] = preflightErrors(spec, dist);
  if (first) throw first;
}
