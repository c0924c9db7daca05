/**
 * Validates rendered objects against the Kubernetes OpenAPI definitions and the CRDs'
 * openAPIV3Schema in ../shared (read at test time, never copied), with unknown fields
 * as errors. A test-side check of what this chart code emits; the policy gate has
 * its own, complete rule.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SHARED_ROOT } from '../../support/environments';

type Schema = Record<string, unknown>;

/** Adds `additionalProperties: false` wherever a schema lists properties and allows nothing else. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const s: Schema = {};
  for (const [k, v] of Object.entries(schema as Schema)) {
    if (k === 'pattern' && !validRegExp(v as string)) continue; // Go-only syntax such as (?i)
    s[k] = k === 'properties' || k === 'definitions' ? mapValues(v as Schema) : closed(v);
  }
  if (s.properties && s.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) {
    s.additionalProperties = false;
  }
  return s;
}
function validRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
const mapValues = (o: Schema) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, closed(v)]));

export class SchemaValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  /** Schemas by `apiVersion/kind`, compiled on first use (compiling every CRD takes seconds). */
  private readonly schemas = new Map<string, Schema>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(kubernetesVersion: string) {
    const defs = JSON.parse(
      readFileSync(join(SHARED_ROOT, 'k8s-schemas', `v${kubernetesVersion}.0`, '_definitions.json'), 'utf8'),
    ).definitions as Record<string, Schema>;
    const closedDefs = mapValues(defs) as Record<string, Schema>;
    this.ajv.addSchema({ $id: 'k8s', definitions: closedDefs });
    for (const [name, def] of Object.entries(defs)) {
      for (const gvk of (def['x-kubernetes-group-version-kind'] as {
        group: string;
        version: string;
        kind: string;
      }[]) ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        this.schemas.set(`${apiVersion}/${gvk.kind}`, { $ref: `k8s#/definitions/${name}` });
      }
    }
    const crdDir = join(SHARED_ROOT, 'crds');
    for (const file of readdirSync(crdDir).filter((f) => f.endsWith('.yaml'))) {
      for (const doc of parseAllDocuments(readFileSync(join(crdDir, file), 'utf8'))) {
        const crd = doc.toJS();
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const v of crd.spec.versions) {
          this.schemas.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, v.schema.openAPIV3Schema);
        }
      }
    }
  }

  /** Problems of one object, `[]` when it is valid. */
  errors(obj: { apiVersion: string; kind: string; metadata: { name: string } }): string[] {
    const key = `${obj.apiVersion}/${obj.kind}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const schema = this.schemas.get(key);
      if (!schema) return [`no schema for ${obj.apiVersion} ${obj.kind}`];
      // A CRD's schema describes spec/status; apiVersion, kind and metadata are the API server's.
      const root = schema.$ref
        ? schema
        : {
            ...schema,
            properties: {
              ...(schema.properties as Schema),
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
            },
          };
      validate = this.ajv.compile(schema.$ref ? root : (closed(root) as Schema));
      this.compiled.set(key, validate);
    }
    const what = `${key}/${obj.metadata.name}`;
    if (validate(obj)) return [];
    return (validate.errors ?? []).map((e) => `${what}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  }
}
