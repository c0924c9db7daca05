/**
 * The HorizontalPodAutoscaler's replica decision with `behavior`, as the controller makes it on
 * every sync (kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go:
 * stabilizeRecommendationWithBehaviors, then convertDesiredReplicasWithBehaviorRate with
 * calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors; read in
 * karmada-io/karmada pkg/controllers/federatedhpa, which copies it: the period start counts
 * both the period's additions and removals, a Percent scale-up rounds up, a scale-down truncates).
 */
import type { ScalingRules } from './model';

export interface HpaMemory {
  /** Raw recommendations with their time, newest last. */
  readonly recommendations: { time: number; replicas: number }[];
  /** Past scale events (positive: added, negative: removed). */
  readonly events: { time: number; delta: number }[];
}

export const emptyHpaMemory = (): HpaMemory => ({ recommendations: [], events: [] });

/** Replicas added (or removed, for down) within the last `period` seconds. */
function changedWithin(memory: HpaMemory, now: number, period: number, direction: 1 | -1): number {
  let n = 0;
  for (const e of memory.events) {
    if (e.time > now - period && Math.sign(e.delta) === direction) n += Math.abs(e.delta);
  }
  return n;
}

/** Replicas at the start of the policy's period: current minus what it added plus what it removed since. */
function periodStart(current: number, memory: HpaMemory, now: number, period: number): number {
  return current - changedWithin(memory, now, period, 1) + changedWithin(memory, now, period, -1);
}

function scaleUpLimit(current: number, memory: HpaMemory, now: number, rules: ScalingRules): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const limits = rules.policies.map((p) => {
    const start = periodStart(current, memory, now, p.periodSeconds);
    // Rounded up, or a small Percent would never add a pod.
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.min(...limits) : Math.max(...limits);
}

function scaleDownLimit(current: number, memory: HpaMemory, now: number, rules: ScalingRules): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const limits = rules.policies.map((p) => {
    const start = periodStart(current, memory, now, p.periodSeconds);
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  // selectPolicy Max picks the policy that allows the largest change: the lowest count.
  return rules.selectPolicy === 'Min' ? Math.max(...limits) : Math.min(...limits);
}

/**
 * The replicas an HPA sets at `now`, given the current count and the raw recommendation
 * (metric / target, rounded up). Updates `memory` with the recommendation and the scale event.
 */
export function hpaDecision(
  input: {
    readonly now: number;
    readonly current: number;
    readonly recommended: number;
    readonly min: number;
    readonly max: number;
    readonly behavior: { readonly scaleUp: ScalingRules; readonly scaleDown: ScalingRules };
  },
  memory: HpaMemory,
): number {
  const { now, current, behavior } = input;
  memory.recommendations.push({ time: now, replicas: input.recommended });
  const keep = Math.max(behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds);
  while (memory.recommendations.length > 0 && memory.recommendations[0]!.time <= now - keep) {
    memory.recommendations.shift();
  }
  let up = input.recommended;
  let down = input.recommended;
  for (const r of memory.recommendations) {
    if (r.time > now - behavior.scaleUp.stabilizationWindowSeconds || r.time === now) up = Math.min(up, r.replicas);
    if (r.time > now - behavior.scaleDown.stabilizationWindowSeconds || r.time === now)
      down = Math.max(down, r.replicas);
  }
  let desired = current;
  if (desired < up) desired = up;
  if (desired > down) desired = down;

  if (desired > current) desired = Math.min(desired, scaleUpLimit(current, memory, now, behavior.scaleUp));
  else if (desired < current) desired = Math.max(desired, scaleDownLimit(current, memory, now, behavior.scaleDown));
  desired = Math.max(input.min, Math.min(input.max, desired));

  const longest = Math.max(
    ...behavior.scaleUp.policies.map((p) => p.periodSeconds),
    ...behavior.scaleDown.policies.map((p) => p.periodSeconds),
  );
  while (memory.events.length > 0 && memory.events[0]!.time <= now - longest) memory.events.shift();
  if (desired !== current) memory.events.push({ time: now, delta: desired - current });
  return desired;
}

/**
 * The replicas one metric asks for, as the HPA's replica calculator computes them
 * (kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator.go GetResourceReplicas
 * and calcPlainMetricReplicas): `ratio` is the Ready pods' average usage over the target. Pods
 * not Ready count as using nothing when that would scale up (`unready`); pods without a metric
 * yet (`missing`) count as using nothing on a scale-up and `missingRatio` of the target on a
 * scale-down (1 for a pods metric; 100 % of requests over the target for CPU). Unscheduled pods
 * are ignored. No change while the ratio stays within the tolerance, or when counting the pods
 * not Ready would reverse the direction.
 */
export function replicasForMetric(input: {
  readonly ratio: number;
  readonly ready: number;
  readonly unready: number;
  readonly missing: number;
  readonly missingRatio: number;
  readonly current: number;
  readonly tolerance: number;
}): number {
  const { ratio, ready, unready, missing, current, tolerance } = input;
  const withUnready = unready > 0 && ratio > 1;
  if (!withUnready && missing === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return current;
    return Math.ceil(ratio * ready);
  }
  const pods = ready + missing + (withUnready ? unready : 0);
  const sum = ratio * ready + (ratio < 1 ? missing * input.missingRatio : 0);
  const next = sum / pods;
  if (Math.abs(1 - next) <= tolerance || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return current;
  const replicas = Math.ceil(next * pods);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return current;
  return replicas;
}
