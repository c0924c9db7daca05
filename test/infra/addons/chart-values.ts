/**
 * Checks Helm values against the upstream chart in ../shared/charts/<chart>/<version>/
 * (Helm silently ignores keys a chart does not have):
 * - with a `values.schema.json`, the values must validate against it (ajv);
 * - every key path must exist in the chart's `values.yaml` or be a property of the schema
 *   (the shared charts' README: "or be allowed by values.schema.json"), except below a value the
 *   chart renders as a whole (an empty map or list by default, or a path its templates
 *   pass to `toYaml`: a Kubernetes object such as a securityContext).
 * Returns the problems as `path: why` strings (empty when the values fit the chart).
 */
import Ajv from 'ajv';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SHARED_ROOT } from '../../support/environments';

type Tree = Record<string, unknown>;

function templatesText(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(d, entry.name));
      else if (/\.(yaml|tpl|txt)$/.test(entry.name)) out.push(readFileSync(join(d, entry.name), 'utf8'));
    }
  };
  walk(join(dir, 'templates'));
  return out.join('\n');
}

const isMap = (v: unknown): v is Tree => !!v && typeof v === 'object' && !Array.isArray(v);

export function chartValueProblems(chart: string, version: string, values: unknown): string[] {
  const dir = join(SHARED_ROOT, 'charts', chart, version);
  if (!existsSync(dir)) return [`chart ${chart} ${version} is not in ../shared/charts`];
  const problems: string[] = [];
  let root: Tree | undefined;
  const schemaPath = join(dir, 'values.schema.json');
  if (existsSync(schemaPath)) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const { $schema: _drop, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Tree;
    void _drop;
    root = schema;
    const validate = ajv.compile(schema);
    if (!validate(values)) {
      for (const e of validate.errors ?? []) problems.push(`${e.instancePath || '/'}: ${e.message}`);
    }
  }
  const defaults = parse(readFileSync(join(dir, 'values.yaml'), 'utf8')) as Tree;
  const templates = templatesText(dir);
  const renderedWhole = (path: string) =>
    new RegExp(`toYaml\\s+\\(?\\.Values\\.${path.replace(/\./g, '\\.')}\\b`).test(templates) ||
    new RegExp(`with\\s+\\.Values\\.${path.replace(/\./g, '\\.')}\\s*\\}\\}[\\s\\S]{0,200}?toYaml \\.`).test(templates);
  const walk = (value: unknown, def: unknown, path: string) => {
    if (!isMap(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const p = path ? `${path}.${key}` : key;
      if (!isMap(def) || !(key in def)) {
        if (!schemaHas(root, p.split('.'))) problems.push(`${p}: not in ${chart} ${version} values.yaml`);
        continue;
      }
      const d = def[key];
      const free =
        d === null ||
        (isMap(d) && Object.keys(d).length === 0) ||
        Array.isArray(d) ||
        renderedWhole(p) ||
        schemaIsMap(root, p.split('.'));
      if (!free) walk(child, d, p);
    }
  };
  walk(values, defaults, '');
  return problems;
}

/** Whether a JSON schema declares this property path (local $refs followed). */
function schemaHas(root: Tree | undefined, path: readonly string[]): boolean {
  return schemaNode(root, path) !== undefined;
}

/** Whether the schema types this path as a free map (an object without listed properties). */
function schemaIsMap(root: Tree | undefined, path: readonly string[]): boolean {
  const node = schemaNode(root, path);
  return !!node && node.type === 'object' && !node.properties && node.additionalProperties !== false;
}

function schemaNode(root: Tree | undefined, path: readonly string[]): Tree | undefined {
  if (!root) return undefined;
  const resolve = (node: unknown): Tree | undefined => {
    let n = node as Tree | undefined;
    for (let i = 0; n && typeof n.$ref === 'string' && i < 20; i++) {
      const ref = (n.$ref as string).replace(/^#\//, '').split('/');
      n = ref.reduce<unknown>((acc, k) => (isMap(acc) ? acc[k] : undefined), root) as Tree | undefined;
    }
    return n;
  };
  let node = resolve(root);
  for (const key of path) {
    const props = node && isMap(node.properties) ? node.properties : undefined;
    if (!props || !(key in props)) return undefined;
    node = resolve(props[key]);
  }
  return node ?? {};
}
