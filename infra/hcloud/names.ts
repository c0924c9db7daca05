/**
 * Cloud-side names. Every name derives from the platform name, the stack and the
 * pool (plus an index), never from randomness or list position: a second `pulumi up`
 * finds the same resources, and two stacks can share one Hetzner project.
 */
import type { EnvironmentSpec } from '../../config';

type Named = Pick<EnvironmentSpec, 'name' | 'stack'>;

/** `<platform>-<stack>`, e.g. `lobstack-staging`: the prefix of every Hetzner resource name. */
export function clusterPrefix(spec: Named): string {
  return `${spec.name}-${spec.stack}`;
}

/** Server (and Kubernetes node) name of a static server: `lobstack-staging-agents-0`. */
export function serverName(spec: Named, pool: string, index: number): string {
  return `${clusterPrefix(spec)}-${pool}-${index}`;
}

/**
 * Cluster-autoscaler node group of one pool in one location: `lobstack-staging-agents-fsn1`.
 * The autoscaler names its servers `<group>-<random hex>` and finds them by the
 * `hcloud/node-group` label, so the stack in the name keeps two stacks in one
 * project apart.
 */
export function nodeGroupName(spec: Named, pool: string, location: string): string {
  return `${clusterPrefix(spec)}-${pool}-${location}`;
}

/** Hetzner labels every resource of the cluster carries. */
export function resourceLabels(spec: Named, extra: Record<string, string> = {}): Record<string, string> {
  return { 'agent-platform.io/platform': spec.name, 'agent-platform.io/stack': spec.stack, ...extra };
}
