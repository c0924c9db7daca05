/** Every rule family, in report order. */
import { crossLayerRules } from './cross-layer';
import { gpuPlacementRules } from './gpu-placement';
import { namespaceGuardrailRules } from './namespace-guardrails';
import { podSecurityRules } from './pod-security';
import { referenceRules } from './references';
import { schemaRules } from './schema';
import { workloadHygieneRules } from './workload-hygiene';
import type { RuleFamily, RuleInfo } from '../types';

export const RULE_FAMILIES: readonly RuleFamily[] = [
  schemaRules,
  podSecurityRules,
  workloadHygieneRules,
  namespaceGuardrailRules,
  referenceRules,
  crossLayerRules,
  gpuPlacementRules,
];

/** Rules of the gate itself (waivers). */
export const GATE_RULES: readonly RuleInfo[] = [
  { id: 'policy.waiver', severity: 'error', description: 'a waiver names a known rule and gives a reason' },
];

export const ALL_RULES: ReadonlyMap<string, RuleInfo> = new Map(
  [...RULE_FAMILIES.flatMap((f) => f.rules), ...GATE_RULES].map((r) => [r.id, r]),
);
