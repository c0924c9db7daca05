/** Every rule family, in report order. */
import { admissionPolicyRules } from './admission-policies';
import { crossLayerRules } from './cross-layer-family';
import { gpuPlacementRules } from './gpu-placement';
import { meshRules } from './mesh';
import { namespaceGuardrailRules } from './namespace-guardrails';
import { networkPolicyRules } from './network-policy';
import { podSecurityRules } from './pod-security';
import { rbacRules } from './rbac';
import { referenceRules } from './references';
import { resourceBoundsRules } from './resource-bounds';
import { sandboxRules } from './sandbox';
import { schemaRules } from './schema';
import { secretMaterialRules } from './secret-material';
import { serviceExposureRules } from './service-exposure';
import { workloadHygieneRules } from './workload-hygiene';
import type { RuleFamily, RuleInfo } from '../types';

export const RULE_FAMILIES: readonly RuleFamily[] = [
  schemaRules,
  podSecurityRules,
  workloadHygieneRules,
  namespaceGuardrailRules,
  referenceRules,
  crossLayerRules,
  admissionPolicyRules,
  gpuPlacementRules,
  // Families that read what objects grant and expose.
  rbacRules,
  networkPolicyRules,
  serviceExposureRules,
  secretMaterialRules,
  meshRules,
  sandboxRules,
  resourceBoundsRules,
];

/** Rules of the gate itself (waivers). */
export const GATE_RULES: readonly RuleInfo[] = [
  { id: 'policy.waiver', severity: 'error', description: 'a waiver names a known rule and gives a reason' },
];

export const ALL_RULES: ReadonlyMap<string, RuleInfo> = new Map(
  [...RULE_FAMILIES.flatMap((f) => f.rules), ...GATE_RULES].map((r) => [r.id, r]),
);
