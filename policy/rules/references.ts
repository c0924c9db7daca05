/**
 * Rule family 5, references: selectors select something, autoscaler targets
 * exist, referenced ServiceAccounts, PriorityClasses, RuntimeClasses, roles,
 * ConfigMaps and Secrets exist or are declared external; one horizontal
 * autoscaler per target, never HPA and an active VPA on the same resources, a PDB
 * that leaves room for a drain at the autoscaler floor, and no `spec.replicas` on
 * an autoscaled workload. One entry per rule, in the files named below.
 */
import { ruleFamily } from '../rule';
import { configRule } from './references-config';
import { priorityClassRule, rbacRule, runtimeClassRule, serviceAccountRule } from './references-named';
import {
  autoscaledReplicasRule,
  hpaVpaConflictRule,
  oneAutoscalerRule,
  pdbBlocksDrainRule,
  scaleTargetRule,
} from './references-scaling';
import { selectorRule } from './references-selectors';

export { autoscalersOf } from './autoscalers';
export { EXTERNAL_ANNOTATION, externalSecretsOf } from './reference-index';

export const referenceRules = ruleFamily('references', [
  selectorRule,
  scaleTargetRule,
  serviceAccountRule,
  priorityClassRule,
  runtimeClassRule,
  rbacRule,
  configRule,
  oneAutoscalerRule,
  hpaVpaConflictRule,
  pdbBlocksDrainRule,
  autoscaledReplicasRule,
]);
