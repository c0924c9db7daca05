/**
 * The gate's vocabulary: manifests as plain data, findings with a rule id, the
 * object, the file and the field path, and the context every rule family reads.
 */
import type { EnvironmentSpec } from '../config';
import type { K8sObject } from '../config/manifest';
import type { CrdVersionSchema, SchemaStore } from './schemas';
import type { PathSegment } from './values';

export type Severity = 'error' | 'warning';

/** A Kubernetes object as parsed from YAML: the manifest core's (config/manifest). */
export type { K8sObject };

/** One object of the set under judgement, with where it came from. */
export interface Manifest {
  readonly object: K8sObject;
  /** File the object was read from (as given), or `<stack>/<chart>.yaml` when rendered in memory. */
  readonly file: string;
  /** 0-based position of the document in its file. */
  readonly document: number;
  /** Resolves a field path to a 1-based line in the file, when the YAML source is known. */
  readonly lineOf?: (path: readonly PathSegment[]) => number | undefined;
}

export type { PathSegment } from './values';

export interface ObjectId {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** What a rule reports; the runner adds object, file and line. */
export interface Violation {
  readonly rule: string;
  /** Field path inside the object, e.g. `['spec', 'template', 'spec', 'containers', 0, 'image']`. */
  readonly path: readonly PathSegment[];
  /** What is wrong, with the value found. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** Overrides the rule's default severity (e.g. a removed API is an error, a deprecated one a warning). */
  readonly severity?: Severity;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly object: ObjectId;
  readonly file: string;
  readonly line?: number;
  /** Dotted path, e.g. `spec.template.spec.containers[0].image`. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

export interface Waiver {
  readonly rule: string;
  readonly object: ObjectId;
  readonly file: string;
  readonly reason: string;
  /** Findings this waiver suppressed (0 means the waiver is stale). */
  readonly suppressed: number;
}

/** The metadata of a rule id: its family, default severity and one-line description. */
export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
}

/** A family of rules (one file under policy/rules/). */
export interface RuleFamily {
  readonly name: string;
  readonly rules: readonly RuleInfo[];
  /** Families that need the environment model are skipped without one. */
  readonly needsEnvironment?: boolean;
  check(ctx: GateContext, report: (manifest: Manifest, violation: Violation) => void): void;
}

export interface GateContext {
  readonly manifests: readonly Manifest[];
  /** Kubernetes minor the manifests target, e.g. `1.31`. */
  readonly kubernetesVersion: string;
  readonly spec?: EnvironmentSpec;
  readonly schemas: SchemaStore;
  /**
   * The CRD version serving `group/version/Kind`: CRDs defined in the manifests
   * themselves win over the schema locations. Loaded lazily (only custom kinds need it).
   */
  readonly crd: (group: string, version: string, kind: string) => CrdVersionSchema | undefined;
  /** Every CRD version known for a group and kind (for "serves only ..." messages). */
  readonly crdVersions: (group: string, kind: string) => CrdVersionSchema[];
  /** Notes the rules add to the report header (e.g. how the version was chosen). */
  readonly notes: string[];
}
