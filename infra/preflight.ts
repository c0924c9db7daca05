/**
 * Every check `pulumi up` makes before it registers a resource, runnable without
 * Pulumi (nothing here loads it at runtime): `definePlatform` runs it on the verified
 * dist/<stack>/, and `npm run synth` on what it is about to write, so an environment
 * that synth accepts is one that deploy accepts, and a refusal reads the same on both.
 *
 *   - replicas of autoscaled workloads left to the autoscaler (dist-checks.ts)
 *   - the add-on plan resolves (no dependency cycle; add-ons that use another's CRDs
 *     install after it: addons/plan.ts), add-on namespaces exist, every custom API group
 *     comes from an enabled add-on (dist-checks.ts)
 *   - Hetzner: locations, server types, 100 servers per network, placement groups,
 *     subnets, name lengths (hcloud/spec-check.ts)
 *   - the add-ons' pods fit their pools, with the arithmetic (addons/capacity.ts)
 */
import type { EnvironmentSpec } from '../config';
import { checkDistAgainstAddons, checkReplicaOwnership, DistError, type DistFiles } from './dist-checks';
import { checkHcloudSpec, hcloudSpecMessage } from './hcloud/spec-check';
import { checkAddonCapacity } from './addons/capacity';
import { resolveAddonPlan, type AddonPlan } from './addons/plan';
import { PreflightError } from './preflight-error';

export { PreflightError };

function checkCloud(spec: EnvironmentSpec): void {
  if (spec.cloud.provider !== 'hcloud') return;
  const { problems } = checkHcloudSpec(spec);
  if (problems.length > 0) throw new PreflightError(hcloudSpecMessage(spec, problems));
}

/** What the checks read: the environment, the rendered files and the add-on plan (when it resolved). */
interface Inputs {
  readonly spec: EnvironmentSpec;
  readonly dist: DistFiles;
  /** The add-on plan, or why it could not be resolved (a cycle, a CRD misordering). */
  readonly plan: AddonPlan | Error;
}

/** The checks, in the order deploy runs them. */
const CHECKS: readonly ((inputs: Inputs) => void)[] = [
  ({ dist }) => checkReplicaOwnership(dist),
  ({ spec, dist, plan }) => {
    if (plan instanceof Error) throw plan;
    checkDistAgainstAddons(spec, dist, plan);
  },
  ({ spec }) => checkCloud(spec),
  ({ spec, plan }) => checkAddonCapacity(spec, plan instanceof Error ? undefined : plan.enabled),
];

/** A refusal of the user's input (not a bug): the refusal classes, and plain Errors of the add-on graph. */
function isRefusal(error: unknown): error is Error {
  return (
    error instanceof DistError ||
    error instanceof PreflightError ||
    (error instanceof Error && error.constructor === Error)
  );
}

/** The add-on plan, or the refusal that resolving it threw. */
function planOrRefusal(spec: EnvironmentSpec): AddonPlan | Error {
  try {
    return resolveAddonPlan(spec);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return error;
  }
}

/** Every refusal, each as the error deploy throws (empty: deploy will accept it), and the add-on plan. */
export function preflight(spec: EnvironmentSpec, dist: DistFiles): { errors: Error[]; plan?: AddonPlan } {
  const inputs: Inputs = { spec, dist, plan: planOrRefusal(spec) };
  const errors: Error[] = [];
  for (const check of CHECKS) {
    try {
      check(inputs);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      errors.push(error);
    }
  }
  return { errors, ...(inputs.plan instanceof Error ? {} : { plan: inputs.plan }) };
}

/** Every refusal, each as the error deploy throws (empty: deploy will accept it). */
export function preflightErrors(spec: EnvironmentSpec, dist: DistFiles): Error[] {
  return preflight(spec, dist).errors;
}

/**
 * Throws the first refusal: what `definePlatform` runs before registering anything.
 * Returns the add-on plan the checks used, for the deploy to install.
 */
export function deployPreflight(spec: EnvironmentSpec, dist: DistFiles): AddonPlan {
  const { errors, plan } = preflight(spec, dist);
  if (errors[0]) throw errors[0];
  return plan!;
}
