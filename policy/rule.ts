/**
 * The gate's rules as data: one entry per rule id, holding what it checks (`description`),
 * its default severity, how to fix what it finds (`fix`), and a pure `check` that reads
 * the context and returns its findings. A family is a named list of entries; `ruleFamily`
 * adapts it to the runner's `RuleFamily`, so families written the older way (one
 * `check(ctx, report)` over all their rules) plug in next to them unchanged.
 */
import type { GateContext, Manifest, PathSegment, RuleFamily, RuleInfo, Severity, Violation } from './types';

/** One finding of a rule entry, against the object it is about. */
export interface Hit {
  readonly manifest: Manifest;
  /** Field path inside the object. */
  readonly path: readonly PathSegment[];
  /** What is wrong, with the value found (and, for content rules, what it grants). */
  readonly message: string;
  /** A fix specific to this finding. @default - the rule's fix */
  readonly fix?: string;
  /** @default - the rule's severity */
  readonly severity?: Severity;
}

export interface GateRule extends RuleInfo {
  /** How to fix a finding, when the finding gives no more specific fix. */
  readonly fix: string;
  /** Pure: reads the context and returns the findings; never writes anything. */
  readonly check: (ctx: GateContext) => Iterable<Hit>;
}

export interface RuleFamilyOptions {
  /** The family needs the environment model (skipped without one). @default false */
  readonly needsEnvironment?: boolean;
}

/** A family built from rule entries, in the shape the runner takes. */
export interface DataRuleFamily extends RuleFamily {
  readonly entries: readonly GateRule[];
}

export function ruleFamily(
  name: string,
  entries: readonly GateRule[],
  options: RuleFamilyOptions = {},
): DataRuleFamily {
  return {
    name,
    entries,
    rules: entries.map(({ id, severity, description }) => ({ id, severity, description })),
    ...(options.needsEnvironment ? { needsEnvironment: true } : {}),
    check(ctx, report) {
      for (const rule of entries) {
        for (const hit of rule.check(ctx)) report(hit.manifest, violationOf(rule, hit));
      }
    },
  };
}

function violationOf(rule: GateRule, hit: Hit): Violation {
  return {
    rule: rule.id,
    path: hit.path,
    message: hit.message,
    fix: hit.fix ?? rule.fix,
    ...(hit.severity ? { severity: hit.severity } : {}),
  };
}

/**
 * The hits of one rule entry over objects alone, outside a gate run: for rules that read
 * nothing but the manifests (the deploy preflight calls `ref.autoscaled-replicas` this
 * way, infra/dist-checks.ts). There is no environment, no schema store and no CRD; a rule
 * that reads them is a programming error and says so.
 */
export function checkObjects(rule: GateRule, manifests: readonly Manifest[]): Hit[] {
  const unavailable = (): never => {
    throw new Error(`${rule.id} reads schemas or CRDs, which checkObjects does not provide; run it through runGate`);
  };
  const ctx: GateContext = {
    manifests,
    kubernetesVersion: '',
    notes: [],
    get schemas(): never {
      return unavailable();
    },
    crd: unavailable,
    crdVersions: unavailable,
  };
  return [...rule.check(ctx)];
}

/**
 * A value derived from the context once per gate run (pod templates, an index of the
 * objects, the autoscalers), shared by every rule entry that reads it.
 */
export function perRun<T>(derive: (ctx: GateContext) => T): (ctx: GateContext) => T {
  const values = new WeakMap<GateContext, T>();
  return (ctx) => {
    // One lookup on the hot path: some rules ask once per object.
    let value = values.get(ctx);
    if (value === undefined && !values.has(ctx)) {
      value = derive(ctx);
      values.set(ctx, value);
    }
    return value as T;
  };
}
