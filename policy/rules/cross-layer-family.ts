/**
 * Rule family 6, cross-layer (needs the environment model): manifests checked
 * against the cluster Pulumi builds from the same stack file. Every pod template
 * can land on some node pool; every tainted pool is used; autoscaler maxima fit
 * the namespace quota and the pools' capacity; each namespace's Pod Security
 * level is the model's and admits what runs in it.
 */
import { ruleFamily } from '../rule';
import { poolCapacityRule, quotaCapacityRule } from './cross-layer-capacity';
import { namespaceLevelRule, schedulingRule, taintedPoolUnusedRule } from './cross-layer-rules';

export const crossLayerRules = ruleFamily(
  'cross-layer',
  [schedulingRule, taintedPoolUnusedRule, quotaCapacityRule, poolCapacityRule, namespaceLevelRule],
  { needsEnvironment: true },
);
