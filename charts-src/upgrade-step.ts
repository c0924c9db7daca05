/**
 * Safety rules of a Kubernetes minor change, checked at synth against the minor that runs:
 * the `kubernetesVersion` of dist/<stack>/index.json at the base ref (what main deployed),
 * or one given explicitly (`npm run synth -- --running staging=1.35`).
 *
 * - never below the running minor (Kubernetes and k3s do not downgrade);
 * - one minor at a time (control plane and kubelets may skew by one step only); a refused
 *   jump names the intermediate minor to deploy first;
 * - every installed chart version supports both minors, since it runs on both while nodes
 *   move over;
 * - every PodDisruptionBudget lets a drain make progress on its pool at the pool's minimum:
 *   the upgrade drains each node once, and a PDB on a pool that can never hold one more node
 *   (min = max = 1) blocks forever.
 *
 * An environment no cluster runs yet says so in its stack file (`kubernetes.deployed: false`)
 * and may take any supported minor; an environment without a base index (new) likewise.
 */
import {
  ADDON_CHARTS,
  chartsInUse,
  chartSupport,
  compareMinors,
  isSupportedMinor,
  nextMinor,
  POOL_LABEL,
  supportsMinor,
  type EnvironmentSpec,
} from '../config';
import type { Manifest } from './render';

export interface RunningMinor {
  /** The minor the cluster runs (`1.35`). */
  readonly minor: string;
  /** Where it was read: `dist/staging/index.json at main (3f2a1bc)` or `--running`. */
  readonly source: string;
}

/** Every reason this environment may not move from `running` to its minor now; empty when it may. */
export function upgradeStepProblems(
  spec: EnvironmentSpec,
  running: RunningMinor | undefined,
  objects: readonly Manifest[],
): string[] {
  if (!running || !spec.kubernetes.deployed) return [];
  const from = running.minor;
  const to = spec.kubernetes.version;
  const at = `kubernetes.version (${to})`;
  const step = compareMinors(to, from);
  if (step === 0) return [];
  if (step < 0) {
    return [`${at} is below the running minor ${from} (${running.source}): Kubernetes cannot downgrade; keep ${from}`];
  }
  if (compareMinors(to, nextMinor(from)) > 0) {
    const intermediate = nextMinor(from);
    return [
      `${at} skips minors: the cluster runs ${from} (${running.source}) and moves one minor at a time; ` +
        `deploy ${intermediate} first` +
        (isSupportedMinor(intermediate)
          ? ''
          : ` (not in config/kubernetes-support.ts any more: upgrade with a platform version that supports it)`),
    ];
  }
  return [...chartsOnBothMinors(spec, from, to), ...blockedDrains(spec, objects, to)];
}

function chartsOnBothMinors(spec: Pick<EnvironmentSpec, 'addons'>, from: string, to: string): string[] {
  return chartsInUse(spec).flatMap((chart) => {
    const support = chartSupport(chart.addon, chart.version);
    if (support && supportsMinor(support, from) && supportsMinor(support, to)) return [];
    const name = ADDON_CHARTS[chart.addon].chart;
    return [
      `kubernetes.version (${to}): the ${name} chart ${chart.version} runs on ${from} and ${to} during the upgrade ` +
        `but supports ${support ? describe(support.oldest, support.newest) : 'no known minor'}; ` +
        `first move it to a version that supports both (config/kubernetes-support.ts)`,
    ];
  });
}

function describe(oldest?: string, newest?: string): string {
  return `${oldest ?? 'any'} to ${newest ?? 'any'}`;
}

/** PDBs whose pods sit on a pool that can never hold a second node: the drain of its node waits forever. */
function blockedDrains(spec: Pick<EnvironmentSpec, 'nodePools'>, objects: readonly Manifest[], to: string): string[] {
  const problems: string[] = [];
  for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
    const selector = ((pdb.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels ??
      {}) as Record<string, string>;
    const workload = objects.find(
      (o) =>
        (o.kind === 'Deployment' || o.kind === 'StatefulSet') &&
        o.metadata.namespace === pdb.metadata.namespace &&
        matches(selector, podLabels(o)),
    );
    if (!workload) continue;
    const poolName = podNodeSelector(workload)[POOL_LABEL];
    const pool = spec.nodePools.find((p) => p.name === poolName);
    if (!pool || pool.max > 1) continue;
    problems.push(
      `kubernetes.version (${to}): PodDisruptionBudget ${pdb.metadata.namespace}/${pdb.metadata.name} protects ` +
        `${workload.kind} ${workload.metadata.name} on pool "${pool.name}" (min ${pool.min}, max ${pool.max}): ` +
        'the upgrade drains its only node and the evicted pods have nowhere to go; give the pool max >= 2',
    );
  }
  return problems;
}

function podLabels(o: Manifest): Record<string, string> {
  return ((o.spec as { template?: { metadata?: { labels?: Record<string, string> } } }).template?.metadata?.labels ??
    {}) as Record<string, string>;
}

function podNodeSelector(o: Manifest): Record<string, string> {
  return ((o.spec as { template?: { spec?: { nodeSelector?: Record<string, string> } } }).template?.spec
    ?.nodeSelector ?? {}) as Record<string, string>;
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}
