/**
 * Running the gate: every rule family over a set of manifests, then waivers
 * (policy/waivers.ts); the report lists every waiver with the findings it suppressed.
 */
import { SUPPORTED_KUBERNETES_MINORS, type EnvironmentSpec } from '../config';
import { formatFieldPath, idOf, withMetadataMemo } from './manifests';
import { ALL_RULES, RULE_FAMILIES } from './rules';
import { crdVersionsOf, SchemaStore, type CrdVersionSchema, type SchemaStoreOptions } from './schemas';
import type { Finding, GateContext, Manifest, Violation, Waiver } from './types';
import { declaredWaivers, type DeclaredWaivers } from './waivers';

export { WAIVER_PREFIX } from './waivers';

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

interface RawFinding {
  readonly manifest: Manifest;
  readonly violation: Violation;
  /** Index of the family (report order); the gate's own findings come last. */
  readonly family: number;
}

function kubernetesVersionOf(options: GateOptions, notes: string[]): string {
  const version =
    options.kubernetesVersion ??
    options.spec?.kubernetes.version ??
    SUPPORTED_KUBERNETES_MINORS[SUPPORTED_KUBERNETES_MINORS.length - 1]!;
  if (!options.kubernetesVersion && !options.spec) {
    notes.push(`no --kubernetes-version or --stack given: judged against Kubernetes ${version}`);
  }
  return version;
}

function gateContext(manifests: readonly Manifest[], options: GateOptions, notes: string[]): GateContext {
  const schemas = options.schemas instanceof SchemaStore ? options.schemas : sharedSchemaStore(options.schemas);
  let inSet: Map<string, CrdVersionSchema> | undefined;
  // CRDs defined in the set itself, read only when a custom kind asks.
  const crdsInSet = () => {
    if (!inSet) {
      inSet = new Map();
      for (const m of manifests) {
        if (m.object.kind !== 'CustomResourceDefinition') continue; // crdVersionsOf reads nothing else
        for (const v of crdVersionsOf(m.object, m.file)) inSet.set(`${v.group}/${v.version}/${v.kind}`, v);
      }
    }
    return inSet;
  };
  return {
    manifests,
    kubernetesVersion: kubernetesVersionOf(options, notes),
    ...(options.spec ? { spec: options.spec } : {}),
    schemas,
    crd: (group, version, kind) => crdsInSet().get(`${group}/${version}/${kind}`) ?? schemas.crd(group, version, kind),
    crdVersions: (group, kind) => {
      const all = new Map([...schemas.crds(), ...crdsInSet()]);
      return [...all.values()].filter((c) => c.group === group && c.kind === kind);
    },
    notes,
  };
}

function runFamilies(ctx: GateContext, options: GateOptions, notes: string[]): RawFinding[] {
  const raw: RawFinding[] = [];
  RULE_FAMILIES.forEach((family, index) => {
    if (options.families && !options.families.includes(family.name)) return;
    if (family.needsEnvironment && !options.spec) {
      notes.push(`${family.name} rules skipped: they need the environment (--stack <name>)`);
      return;
    }
    family.check(ctx, (manifest, violation) => raw.push({ manifest, violation, family: index }));
  });
  return raw;
}

/**
 * The position in the set of each object the report names (the last, for an object given
 * twice). Only those: a map of every object cost more than the rest of a clean report.
 */
function positions(manifests: readonly Manifest[], named: readonly Manifest[]): Map<Manifest, number> {
  const order = new Map<Manifest, number>();
  if (named.length === 0) return order;
  const wanted = new Set(named);
  manifests.forEach((m, i) => {
    if (wanted.has(m)) order.set(m, i);
  });
  return order;
}

/** Report order: by object, then family, then rule id (stable within a rule). */
function sortFindings(all: RawFinding[], order: Map<Manifest, number>): RawFinding[] {
  return all.sort(
    (a, b) =>
      (order.get(a.manifest) ?? -1) - (order.get(b.manifest) ?? -1) ||
      a.family - b.family ||
      (a.violation.rule < b.violation.rule ? -1 : a.violation.rule > b.violation.rule ? 1 : 0),
  );
}

function findingOf({ manifest, violation }: RawFinding): Finding {
  const line = manifest.lineOf?.(violation.path);
  return {
    rule: violation.rule,
    severity: violation.severity ?? ALL_RULES.get(violation.rule)?.severity ?? 'error',
    object: idOf(manifest.object),
    file: manifest.file,
    ...(line !== undefined ? { line } : {}),
    path: formatFieldPath(violation.path),
    message: violation.message,
    fix: violation.fix,
  };
}

interface Sorted {
  readonly findings: Finding[];
  readonly waived: WaivedFinding[];
  /** Findings suppressed per `<object index>|<rule>`. */
  readonly suppressed: Map<string, number>;
}

/** Drops duplicates and sets waived findings apart. */
function applyWaivers(all: RawFinding[], waivers: DeclaredWaivers, order: Map<Manifest, number>): Sorted {
  const out: Sorted = { findings: [], waived: [], suppressed: new Map() };
  const seen = new Set<string>();
  for (const raw of all) {
    const finding = findingOf(raw);
    const dedupe = `${raw.manifest.file}#${raw.manifest.document}|${finding.rule}|${finding.path}|${finding.message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    const reason = waivers.waiverOf.get(raw.manifest)?.get(finding.rule);
    if (reason === undefined || finding.rule === 'policy.waiver') {
      out.findings.push(finding);
      continue;
    }
    out.waived.push({ ...finding, reason });
    const key = `${order.get(raw.manifest)}|${finding.rule}`;
    out.suppressed.set(key, (out.suppressed.get(key) ?? 0) + 1);
  }
  return out;
}

function waiverList(waivers: DeclaredWaivers, sorted: Sorted, order: Map<Manifest, number>): Waiver[] {
  return [...waivers.waiverOf].flatMap(([manifest, map]) =>
    [...map].map(([rule, reason]) => ({
      rule,
      object: idOf(manifest.object),
      file: manifest.file,
      reason,
      suppressed: sorted.suppressed.get(`${order.get(manifest)}|${rule}`) ?? 0,
    })),
  );
}

function judge(manifests: readonly Manifest[], options: GateOptions): GateReport {
  const notes: string[] = [];
  const ctx = gateContext(manifests, options, notes);
  const raw = runFamilies(ctx, options, notes);
  const waivers = declaredWaivers(manifests);
  const gateFindings = waivers.problems.map((p) => ({ ...p, family: RULE_FAMILIES.length }));
  const all = [...raw, ...gateFindings];
  const order = positions(manifests, [...all.map((f) => f.manifest), ...waivers.waiverOf.keys()]);
  const sorted = applyWaivers(sortFindings(all, order), waivers, order);
  const errors = sorted.findings.filter((f) => f.severity === 'error').length;
  return {
    kubernetesVersion: ctx.kubernetesVersion,
    ...(options.spec ? { stack: options.spec.stack } : {}),
    objects: manifests.length,
    findings: sorted.findings,
    waived: sorted.waived,
    waivers: waiverList(waivers, sorted, order),
    notes,
    errors,
    warnings: sorted.findings.length - errors,
    passed: errors === 0,
  };
}
