/**
 * Where the gate's schemas come from, kubeconform style: a list of locations,
 * each a local folder or a URL template, tried in order. Built-in kinds use the
 * Kubernetes OpenAPI definitions of the target minor (`v<minor>.0/_definitions.json`,
 * the files `cdk8s import k8s` uses); CRD kinds use the openAPIV3Schema of their
 * CustomResourceDefinition. Downloads land in a cache folder and are reused.
 *
 * Validators are prepared lazily, once per kind and version, and reused: a run
 * touches only the kinds it meets, and schema nodes are compiled only when a value
 * first reaches them (policy/schema-compiler.ts), so a cold start costs a JSON parse.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { QUANTITY_PATTERN, readYaml } from '../config/manifest';
import { asArray, asObject, asObjects, asString, isObject } from './values';
import { SchemaValidator, SPECIAL, type Schema, type SchemaProblem } from './validator';

/** Validates one object; an empty list means valid. */
export type Validate = (object: unknown) => SchemaProblem[];

/** Upstream home of the Kubernetes definitions (the files cdk8s imports). */
export const UPSTREAM_K8S_SCHEMAS =
  'https://raw.githubusercontent.com/cdk8s-team/cdk8s/master/kubernetes-schemas/{{ .NormalizedKubernetesVersion }}/_definitions.json';

/**
 * Where this repository keeps offline copies (tests, CI): `../shared/` next to the
 * checkout, found from the given root or from this module (policy/ or build/).
 */
export function defaultSharedRoot(root: string): string {
  const candidates = [resolve(root, '..', 'shared'), resolve(__dirname, '..', '..', 'shared')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

export interface SchemaStoreOptions {
  /**
   * Kubernetes schema locations, tried in order: a folder holding `v<minor>.0/_definitions.json`,
   * or a URL/path template with `{{ .NormalizedKubernetesVersion }}` (`v1.31.0`) or
   * `{{ .KubernetesVersion }}` (`1.31`).
   * @default - `<root>/../shared/k8s-schemas` when it exists, else the upstream URL
   */
  readonly schemaLocations?: readonly string[];
  /**
   * CRD locations: folders of CRD YAML files, single files, or URLs of CRD YAML files.
   * @default - `<root>/../shared/crds` when it exists, else the upstream URLs listed in cdk8s.yaml `imports:`
   */
  readonly crdLocations?: readonly string[];
  /** @default - $XDG_CACHE_HOME/agent-platform/schemas or ~/.cache/agent-platform/schemas */
  readonly cacheDir?: string;
  /** Repository root (for the defaults). @default process.cwd() */
  readonly root?: string;
}

/** Schemas that cannot be had: the CLI turns this into exit code 2. */
export class SchemaUnavailableError extends Error {
  override name = 'SchemaUnavailableError';
}

const isUrl = (location: string) => /^https?:\/\//.test(location);

export interface CrdVersionSchema {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly served: boolean;
  readonly deprecated: boolean;
  readonly deprecationWarning?: string;
  readonly storageVersion?: string;
  readonly schema?: Record<string, unknown>;
  readonly source: string;
}

export class SchemaStore {
  readonly schemaLocations: readonly string[];
  readonly crdLocations: readonly string[];
  readonly cacheDir: string;
  private readonly definitionsByMinor = new Map<string, Record<string, Record<string, unknown>>>();
  private readonly gvkByMinor = new Map<string, Map<string, string>>();
  private readonly closedByMinor = new Map<string, Map<string, Schema>>();
  private readonly validators = new Map<string, Validate>();
  private crdIndex?: Map<string, CrdVersionSchema>;

  constructor(options: SchemaStoreOptions = {}) {
    const root = options.root ?? process.cwd();
    const shared = defaultSharedRoot(root);
    this.schemaLocations =
      options.schemaLocations && options.schemaLocations.length > 0
        ? options.schemaLocations
        : existsSync(join(shared, 'k8s-schemas'))
          ? [join(shared, 'k8s-schemas')]
          : [UPSTREAM_K8S_SCHEMAS];
    this.crdLocations =
      options.crdLocations && options.crdLocations.length > 0
        ? options.crdLocations
        : existsSync(join(shared, 'crds'))
          ? [join(shared, 'crds')]
          : upstreamCrdUrls(root);
    this.cacheDir =
      options.cacheDir ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'agent-platform', 'schemas');
  }

  // -------------------------------------------------------------------------
  // Built-in kinds
  // -------------------------------------------------------------------------

  /** The OpenAPI definitions of one Kubernetes minor (`1.31`). */
  definitions(minor: string): Record<string, Record<string, unknown>> {
    let defs = this.definitionsByMinor.get(minor);
    if (defs) return defs;
    const tried: string[] = [];
    for (const location of this.schemaLocations) {
      const target = expandTemplate(location, minor);
      tried.push(target);
      const text = this.read(target);
      if (text === undefined) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new SchemaUnavailableError(`${target}: not JSON: ${(error as Error).message}`);
      }
      defs = asObject(asObject(parsed).definitions) as Record<string, Record<string, unknown>>;
      if (Object.keys(defs).length === 0) throw new SchemaUnavailableError(`${target}: has no "definitions"`);
      this.definitionsByMinor.set(minor, defs);
      return defs;
    }
    throw new SchemaUnavailableError(
      `no Kubernetes ${minor} schema found (tried: ${tried.join(', ')}); pass --schemas <folder or URL template>`,
    );
  }

  /** `group/version/Kind` → definition name, for one minor. */
  gvkIndex(minor: string): Map<string, string> {
    let index = this.gvkByMinor.get(minor);
    if (index) return index;
    index = new Map();
    for (const [name, def] of Object.entries(this.definitions(minor))) {
      for (const gvk of asArray(def['x-kubernetes-group-version-kind'])) {
        const g = asObject(gvk);
        // Option/event types (DeleteOptions, WatchEvent) are listed under every group; real kinds have metadata.
        if (!isObject(asObject(def.properties).metadata)) continue;
        index.set(`${asString(g.group) ?? ''}/${asString(g.version)}/${asString(g.kind)}`, name);
      }
    }
    this.gvkByMinor.set(minor, index);
    return index;
  }

  /** The validator of a built-in kind, or undefined when the minor has no such kind. */
  builtinValidator(minor: string, group: string, version: string, kind: string): Validate | undefined {
    const definition = this.gvkIndex(minor).get(`${group}/${version}/${kind}`);
    if (!definition) return undefined;
    const key = `k8s:${minor}:${definition}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const validator = new SchemaValidator(
        this.resolver(minor),
        `Kubernetes ${minor} ${group ? `${group}/` : ''}${version} ${kind}`,
      );
      const root: Schema = { $ref: `#/definitions/${definition}` };
      validate = (object) => validator.validate(root, object);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** Resolves `#/definitions/<name>` against the (closed) definitions of a minor, closing each on first use. */
  private resolver(minor: string): (ref: string) => Schema | undefined {
    let closed = this.closedByMinor.get(minor);
    if (!closed) {
      closed = new Map();
      this.closedByMinor.set(minor, closed);
    }
    const cache = closed;
    const defs = this.definitions(minor);
    return (ref) => {
      const name = ref.startsWith('#/definitions/') ? ref.slice('#/definitions/'.length) : undefined;
      if (!name) return undefined;
      let schema = cache.get(name);
      if (!schema) {
        const def = defs[name];
        if (!def) return undefined;
        schema = closeBuiltin(name, def) as Schema;
        cache.set(name, schema);
      }
      return schema;
    };
  }

  // -------------------------------------------------------------------------
  // CRD kinds
  // -------------------------------------------------------------------------

  /** Every CRD version the locations provide, by `group/version/Kind` (parses every file). */
  crds(): Map<string, CrdVersionSchema> {
    if (this.crdIndex) return this.crdIndex;
    const index = new Map<string, CrdVersionSchema>();
    for (const file of this.crdFiles()) {
      for (const entry of this.parseCrdFile(file)) {
        const key = `${entry.group}/${entry.version}/${entry.kind}`;
        if (!index.has(key)) index.set(key, entry);
      }
    }
    this.crdIndex = index;
    return index;
  }

  /**
   * The CRD version serving `group/version/Kind`. Parses only the files that mention
   * the group and kind (big CRD files cost far more to parse than to validate with),
   * and all of them only when those hints find nothing.
   */
  crd(group: string, version: string, kind: string): CrdVersionSchema | undefined {
    const key = `${group}/${version}/${kind}`;
    if (this.crdIndex) return this.crdIndex.get(key);
    for (const file of this.crdFiles()) {
      if (!file.hints.has(`${group}/${kind}`)) continue;
      const found = this.parseCrdFile(file).find((c) => `${c.group}/${c.version}/${c.kind}` === key);
      if (found) return found;
    }
    return this.crds().get(key);
  }

  private crdFileList?: CrdFile[];
  private readonly parsedCrdFiles = new Map<CrdFile, CrdVersionSchema[]>();

  private crdFiles(): CrdFile[] {
    if (!this.crdFileList) {
      this.crdFileList = this.crdLocations.flatMap((location) =>
        this.readCrdLocation(location).map(({ source, text }) => ({ source, text, hints: crdHints(text) })),
      );
    }
    return this.crdFileList;
  }

  private parseCrdFile(file: CrdFile): CrdVersionSchema[] {
    let parsed = this.parsedCrdFiles.get(file);
    if (!parsed) {
      parsed = this.parseCached(file.text).flatMap((doc) => crdVersionsOf(doc, file.source));
      this.parsedCrdFiles.set(file, parsed);
    }
    return parsed;
  }

  crdValidator(minor: string, crd: CrdVersionSchema): Validate | undefined {
    if (!crd.schema) return undefined;
    const key = `crd:${minor}:${crd.group}/${crd.version}/${crd.kind}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const schema = closedCrdSchema(crd.schema);
      const validator = new SchemaValidator(
        this.resolver(minor),
        `the ${crd.group}/${crd.version} ${crd.kind} CRD schema`,
      );
      validate = (object) => validator.validate(schema, object);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /**
   * Parsing the big CRD files (Istio's are megabytes) costs far more than validating:
   * the parsed form is kept as JSON in the cache, keyed by the text's digest.
   */
  private parseCached(text: string): unknown[] {
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 32);
    const cached = join(this.cacheDir, `crd-${digest}.json`);
    if (existsSync(cached)) {
      try {
        return JSON.parse(readFileSync(cached, 'utf8')) as unknown[];
      } catch {
        // A damaged cache entry is re-created below.
      }
    }
    const docs = readYaml(text).documents.map((d) => d.value);
    try {
      mkdirSync(this.cacheDir, { recursive: true });
      writeFileSync(`${cached}.${process.pid}.tmp`, JSON.stringify(docs));
      renameSync(`${cached}.${process.pid}.tmp`, cached);
    } catch {
      // A read-only home is fine: the next run parses again.
    }
    return docs;
  }

  private readCrdLocation(location: string): { source: string; text: string }[] {
    if (isUrl(location)) {
      const text = this.read(location);
      if (text === undefined) throw new SchemaUnavailableError(`CRD location ${location} could not be fetched`);
      return [{ source: location, text }];
    }
    if (!existsSync(location)) throw new SchemaUnavailableError(`CRD location ${location} does not exist`);
    if (statSync(location).isDirectory()) {
      return readdirSync(location)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => ({ source: join(location, f), text: readFileSync(join(location, f), 'utf8') }));
    }
    return [{ source: location, text: readFileSync(location, 'utf8') }];
  }

  // -------------------------------------------------------------------------
  // Reading and caching
  // -------------------------------------------------------------------------

  /** Text of a local file or URL (through the cache); undefined when it does not exist. */
  private read(target: string): string | undefined {
    if (!isUrl(target)) {
      const file = existsSync(target) && statSync(target).isDirectory() ? join(target, '_definitions.json') : target;
      return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    }
    const cached = join(this.cacheDir, `${createHash('sha256').update(target).digest('hex').slice(0, 32)}.cache`);
    if (existsSync(cached)) return readFileSync(cached, 'utf8');
    const text = fetchSync(target);
    if (text === undefined) return undefined;
    try {
      mkdirSync(dirname(cached), { recursive: true });
      writeFileSync(`${cached}.${process.pid}.tmp`, text);
      renameSync(`${cached}.${process.pid}.tmp`, cached);
    } catch {
      // An unwritable cache only costs a download next time.
    }
    return text;
  }
}

interface CrdFile {
  readonly source: string;
  readonly text: string;
  /** `group/Kind` pairs the text may define (a cheap over-approximation). */
  readonly hints: Set<string>;
}

/** Every `group: x` and `kind: Y` with a value on its line, combined: which CRDs a file may define. */
function crdHints(text: string): Set<string> {
  const values = (key: string) =>
    [...text.matchAll(new RegExp(`^\\s*${key}:\\s*['"]?([A-Za-z0-9.-]+)['"]?\\s*$`, 'gm'))].map((m) => m[1]!);
  const kinds = values('kind');
  const hints = new Set<string>();
  for (const group of values('group')) for (const kind of kinds) hints.add(`${group}/${kind}`);
  return hints;
}

/**
 * A CRD version's openAPIV3Schema as the gate validates it: closed where it lists
 * properties, and with metadata validated as ObjectMeta (as the API server does,
 * whatever the CRD says). `$ref`s point into the Kubernetes definitions.
 */
export function closedCrdSchema(openAPIV3Schema: Record<string, unknown>): Schema {
  const schema = closeNode(openAPIV3Schema, false) as Schema;
  schema.properties = {
    ...asObject(schema.properties),
    metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
  };
  return schema;
}

/** The versions a CustomResourceDefinition object serves (none for anything else). */
export function crdVersionsOf(object: unknown, source: string): CrdVersionSchema[] {
  const crd = asObject(object);
  if (crd.kind !== 'CustomResourceDefinition') return [];
  const spec = asObject(crd.spec);
  const group = asString(spec.group) ?? '';
  const kind = asString(asObject(spec.names).kind) ?? '';
  const versions = asObjects(spec.versions);
  const storageVersion = asString(versions.find((v) => v.storage === true)?.name);
  return versions.map((v) => {
    const schema = asObject(asObject(v.schema).openAPIV3Schema);
    const warning = asString(v.deprecationWarning);
    return {
      group,
      version: asString(v.name) ?? '',
      kind,
      scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
      served: v.served !== false,
      deprecated: v.deprecated === true,
      ...(warning ? { deprecationWarning: warning } : {}),
      ...(storageVersion ? { storageVersion } : {}),
      ...(Object.keys(schema).length > 0 ? { schema } : {}),
      source,
    };
  });
}

/** `{{ .NormalizedKubernetesVersion }}` → `v1.31.0`, `{{ .KubernetesVersion }}` → `1.31`; a folder gets `/v1.31.0`. */
export function expandTemplate(location: string, minor: string): string {
  if (!location.includes('{{')) return isUrl(location) ? location : join(location, `v${minor}.0`);
  return location
    .replace(/\{\{\s*\.NormalizedKubernetesVersion\s*\}\}/g, `v${minor}.0`)
    .replace(/\{\{\s*\.KubernetesVersion\s*\}\}/g, minor);
}

/** The CRD URLs listed in cdk8s.yaml `imports:` (`name:=url`), de-duplicated. */
export function upstreamCrdUrls(root: string): string[] {
  const file = join(root, 'cdk8s.yaml');
  if (!existsSync(file)) return [];
  const urls = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*-\s*(?:[\w-]+:=)?(https?:\/\/\S+)/.exec(line);
    if (m) urls.add(m[1]!);
  }
  return [...urls];
}

/**
 * Downloads synchronously (the synth pipeline is synchronous) through a child
 * Node process using the built-in fetch. Undefined on 404; throws on other failures.
 */
function fetchSync(url: string): string | undefined {
  const script =
    'fetch(process.argv[1]).then(async r=>{if(r.status===404){process.exit(3)}if(!r.ok){console.error(r.status+" "+r.statusText);process.exit(4)}process.stdout.write(await r.text())}).catch(e=>{console.error(e.message);process.exit(4)})';
  try {
    return execFileSync(process.execPath, ['-e', script, url], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 3) return undefined;
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new SchemaUnavailableError(`cannot download ${url}: ${stderr || (error as Error).message}`);
  }
}

// ---------------------------------------------------------------------------
// Schema transformation: unknown fields become errors
// ---------------------------------------------------------------------------

const QUANTITY_SCHEMA = {
  anyOf: [{ type: 'string', pattern: QUANTITY_PATTERN }, { type: 'number' }],
  [SPECIAL]: 'a quantity such as 500m, 2, 512Mi or 1Gi',
};
const INT_OR_STRING_SCHEMA = { anyOf: [{ type: 'integer' }, { type: 'string' }], [SPECIAL]: 'an integer or a string' };

function closeBuiltin(name: string, def: Record<string, unknown>): unknown {
  if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return QUANTITY_SCHEMA;
  if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') return INT_OR_STRING_SCHEMA;
  return closeNode(def, false);
}

const COMBINATORS = new Set(['anyOf', 'oneOf', 'allOf', 'not']);

/**
 * Recursively: objects that list `properties` get `additionalProperties: false`
 * unless they preserve unknown fields (inside anyOf/oneOf/allOf/not branches, which
 * only constrain values, nothing is closed); `x-kubernetes-int-or-string` becomes
 * integer-or-string; embedded resources accept apiVersion/kind/metadata; `nullable`
 * admits null.
 */
function closeNode(node: unknown, inCombinator: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => closeNode(n, inCombinator));
  if (!isObject(node)) return node;
  if (node['x-kubernetes-int-or-string'] === true) return INT_OR_STRING_SCHEMA;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closeNode(v, false)]));
    } else if (key === 'description' || key === 'example' || key.startsWith('x-kubernetes-')) {
      continue;
    } else if (COMBINATORS.has(key)) {
      out[key] = closeNode(value, true);
    } else {
      out[key] = closeNode(value, inCombinator);
    }
  }
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (node['x-kubernetes-embedded-resource'] === true) {
    out.properties = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...asObject(out.properties),
    };
  }
  if (isObject(out.properties) && out.additionalProperties === undefined && !preserve && !inCombinator) {
    out.additionalProperties = false;
  }
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

export type { SchemaProblem };
