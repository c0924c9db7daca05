/**
 * Running the gate: every rule family over a set of manifests, then waivers.
 * A waiver is an annotation on the object itself,
 * `policy.agent-platform.io/waive.<rule-id>: "<reason>"`, naming one rule; the
 * report lists every waiver with the findings it suppressed.
 */
import { SUPPORTED_KUBERNETES_MINORS, type EnvironmentSpec } from '../config';
import { formatFieldPath, idOf, metadataOf, withMetadataMemo } from './manifests';
import { ALL_RULES, RULE_FAMILIES } from './rules';
import { podTemplatesOf } from './workloads';
import { crdVersionsOf, SchemaStore, type CrdVersionSchema, type SchemaStoreOptions } from './schemas';
import type { Finding, GateContext, Manifest, Severity, Violation, Waiver } from './types';

export const WAIVER_PREFIX = 'policy.agent-platform.io/waive.';

export interface GateOptions {
  /** Kubernetes minor to judge against. @default - the environment's, else the newest supported minor */
  readonly kubernetesVersion?: string;
  /** The environment model: enables the cross-layer rules and model-declared external secrets. */
  readonly spec?: EnvironmentSpec;
  /** A store to reuse (its compiled validators are kept), or options for a new one. */
  readonly schemas?: SchemaStore | SchemaStoreOptions;
  /** Only these rule families (by name). @default - all */
  readonly families?: readonly string[];
}

export interface WaivedFinding extends Finding {
  readonly reason: string;
}

export interface GateReport {
  readonly kubernetesVersion: string;
  readonly stack?: string;
  readonly objects: number;
  /** Findings that count (not waived), sorted by file, document and rule. */
  readonly findings: readonly Finding[];
  readonly waived: readonly WaivedFinding[];
  readonly waivers: readonly Waiver[];
  readonly notes: readonly string[];
  readonly errors: number;
  readonly warnings: number;
  /** No error-level finding. */
  readonly passed: boolean;
}

const stores = new Map<string, SchemaStore>();

/** One store per distinct set of options in a process, so validators compile once. */
export function sharedSchemaStore(options: SchemaStoreOptions = {}): SchemaStore {
  const key = JSON.stringify(options);
  let store = stores.get(key);
  if (!store) {
    store = new SchemaStore(options);
    stores.set(key, store);
  }
  return store;
}

export function runGate(manifests: readonly Manifest[], options: GateOptions = {}): GateReport {
  return withMetadataMemo(() => judge(manifests, options));
}

function judge(manifests: readonly Manifest[], options: GateOptions): GateReport {
  const notes: string[] = [];
  const kubernetesVersion =
    options.kubernetesVersion ??
    options.spec?.kubernetes.version ??
    SUPPORTED_KUBERNETES_MINORS[SUPPORTED_KUBERNETES_MINORS.length - 1]!;
  if (!options.kubernetesVersion && !options.spec) {
    notes.push(`no --kubernetes-version or --stack given: judged against Kubernetes ${kubernetesVersion}`);
  }
  const schemas = options.schemas instanceof SchemaStore ? options.schemas : sharedSchemaStore(options.schemas);
  let inSet: Map<string, CrdVersionSchema> | undefined;
  const crdsInSet = () => {
    if (!inSet) {
      inSet = new Map();
      for (const m of manifests) {
        for (const v of crdVersionsOf(m.object, m.file)) inSet.set(`${v.group}/${v.version}/${v.kind}`, v);
      }
    }
    return inSet;
  };
  const ctx: GateContext = {
    manifests,
    kubernetesVersion,
    ...(options.spec ? { spec: options.spec } : {}),
    schemas,
    crd: (group, version, kind) => {
      const key = `${group}/${version}/${kind}`;
      return crdsInSet().get(key) ?? schemas.crd(group, version, kind);
    },
    crdVersions: (group, kind) => {
      const all = new Map([...schemas.crds(), ...crdsInSet()]);
      return [...all.values()].filter((c) => c.group === group && c.kind === kind);
    },
    notes,
  };
  const raw: { manifest: Manifest; violation: Violation; family: number }[] = [];
  RULE_FAMILIES.forEach((family, index) => {
    if (options.families && !options.families.includes(family.name)) return;
    if (family.needsEnvironment && !options.spec) {
      notes.push(`${family.name} rules skipped: they need the environment (--stack <name>)`);
      return;
    }
    family.check(ctx, (manifest, violation) => raw.push({ manifest, violation, family: index }));
  });

  // Waivers declared on each object.
  const waiverOf = new Map<Manifest, Map<string, string>>();
  const gateFindings: { manifest: Manifest; violation: Violation; family: number }[] = [];
  for (const manifest of manifests) {
    const annotations = metadataOf(manifest.object).annotations;
    const waivers = new Map<string, string>();
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(WAIVER_PREFIX)) continue;
      const rule = key.slice(WAIVER_PREFIX.length);
      if (!ALL_RULES.has(rule) || rule === 'policy.waiver') {
        gateFindings.push({
          manifest,
          family: RULE_FAMILIES.length,
          violation: {
            rule: 'policy.waiver',
            path: ['metadata', 'annotations', key],
            message: `waives "${rule}", which is not a rule of the gate`,
            fix: `name one rule id, e.g. ${WAIVER_PREFIX}pss.host-path (see policy/README.md)`,
          },
        });
      } else if (value.trim().length < 10) {
        gateFindings.push({
          manifest,
          family: RULE_FAMILIES.length,
          violation: {
            rule: 'policy.waiver',
            path: ['metadata', 'annotations', key],
            message: `waiver of ${rule} gives no reason (got ${JSON.stringify(value)})`,
            fix: 'write why the rule does not apply to this object (at least a sentence); the waiver is ignored until then',
          },
        });
      } else {
        waivers.set(rule, value.trim());
      }
    }
    if (waivers.size > 0) waiverOf.set(manifest, waivers);
    // A waiver on a pod template would read as one but apply to nothing: say so.
    for (const template of podTemplatesOf(manifest)) {
      if (template.metaPath.length === 1) continue;
      for (const key of Object.keys(template.annotations)) {
        if (!key.startsWith(WAIVER_PREFIX)) continue;
        gateFindings.push({
          manifest,
          family: RULE_FAMILIES.length,
          violation: {
            rule: 'policy.waiver',
            path: [...template.metaPath, 'annotations', key],
            message: "is a waiver on the pod template; waivers apply only on the object's own metadata.annotations",
            fix: `move ${key} to the ${template.owner.kind}'s metadata.annotations`,
          },
        });
      }
    }
  }

  const order = new Map(manifests.map((m, i) => [m, i]));
  const all = [...raw, ...gateFindings].sort(
    (a, b) =>
      (order.get(a.manifest) ?? -1) - (order.get(b.manifest) ?? -1) ||
      a.family - b.family ||
      (a.violation.rule < b.violation.rule ? -1 : a.violation.rule > b.violation.rule ? 1 : 0),
  );
  const findings: Finding[] = [];
  const waived: WaivedFinding[] = [];
  const suppressed = new Map<string, number>();
  const seen = new Set<string>();
  for (const { manifest, violation } of all) {
    const severity: Severity = violation.severity ?? ALL_RULES.get(violation.rule)?.severity ?? 'error';
    const line = manifest.lineOf?.(violation.path);
    const finding: Finding = {
      rule: violation.rule,
      severity,
      object: idOf(manifest.object),
      file: manifest.file,
      ...(line !== undefined ? { line } : {}),
      path: formatFieldPath(violation.path),
      message: violation.message,
      fix: violation.fix,
    };
    const dedupe = `${manifest.file}#${manifest.document}|${finding.rule}|${finding.path}|${finding.message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    const reason = waiverOf.get(manifest)?.get(violation.rule);
    if (reason !== undefined && violation.rule !== 'policy.waiver') {
      waived.push({ ...finding, reason });
      const key = `${order.get(manifest)}|${violation.rule}`;
      suppressed.set(key, (suppressed.get(key) ?? 0) + 1);
    } else {
      findings.push(finding);
    }
  }
  const waivers: Waiver[] = [];
  for (const [manifest, map] of waiverOf) {
    for (const [rule, reason] of map) {
      waivers.push({
        rule,
        object: idOf(manifest.object),
        file: manifest.file,
        reason,
        suppressed: suppressed.get(`${order.get(manifest)}|${rule}`) ?? 0,
      });
    }
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  return {
    kubernetesVersion,
    ...(options.spec ? { stack: options.spec.stack } : {}),
    objects: manifests.length,
    findings,
    waived,
    waivers,
    notes,
    errors,
    warnings: findings.length - errors,
    passed: errors === 0,
  };
}
