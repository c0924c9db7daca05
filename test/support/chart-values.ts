/**
 * Helm ignores values keys a chart does not read. This finds them: every key path of
 * the values we pass is looked up in the upstream chart (values.yaml, values.schema.json,
 * the templates' `.Values` references), subcharts under their key, Istio's `pilot`/`cni`
 * prefixes at the top level as its templates copy them. Below a point the chart leaves
 * open (an empty `{}` or null default, an open schema, a subtree the templates pass on
 * with `toYaml` or iterate as a map) anything goes: those are Kubernetes objects
 * (resources, nodeSelector, securityContext) or user-named maps (env, annotations).
 */
import { shown, type UpstreamChart } from './upstream-charts';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface UnknownValue {
  /** Dotted path in the values we pass. */
  readonly path: string;
  /** Why, naming the chart file that does not have it. */
  readonly reason: string;
}

// ---- values.schema.json: local $ref, allOf/anyOf/oneOf, properties, additionalProperties

interface SchemaVerdict {
  /** 'known': the schema names the key; 'open': it allows any key; 'closed': additionalProperties false; 'silent'. */
  readonly verdict: 'known' | 'open' | 'closed' | 'silent';
  readonly child?: Json;
}

function resolveRef(root: Json, node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  const target = ref
    .slice(2)
    .split('/')
    .reduce<unknown>((o, k) => (isMap(o) ? o[k.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), root);
  return isMap(target) ? resolveRef(root, target) : node;
}

function schemaParts(root: Json, node: Json): Json[] {
  const resolved = resolveRef(root, node);
  const parts = [resolved];
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = resolved[key];
    if (Array.isArray(list)) for (const item of list) if (isMap(item)) parts.push(...schemaParts(root, item));
  }
  return parts;
}

function schemaChild(root: Json, node: Json | undefined, key: string): SchemaVerdict {
  if (!node) return { verdict: 'silent' };
  let closed = false;
  let open = false;
  let openChild: Json | undefined;
  for (const part of schemaParts(root, node)) {
    const props = part.properties;
    if (isMap(props) && isMap(props[key])) return { verdict: 'known', child: props[key] };
    const patterns = part.patternProperties;
    if (isMap(patterns)) {
      for (const [pattern, child] of Object.entries(patterns))
        if (new RegExp(pattern).test(key) && isMap(child)) return { verdict: 'known', child };
    }
    if (part.additionalProperties === false) closed = true;
    else if (isMap(part.additionalProperties)) {
      open = true;
      openChild = part.additionalProperties;
    } else if (part.additionalProperties === true) open = true;
  }
  if (closed) return { verdict: 'closed' };
  if (open) return { verdict: 'open', ...(openChild ? { child: openChild } : {}) };
  // An object schema that lists no properties at all is a free map (JSON Schema's default
  // additionalProperties is true): cert-manager's `nodeSelector` is `{ type: object }`.
  const parts = schemaParts(root, node);
  if (
    parts.some((p) => p.type === 'object') &&
    parts.every((p) => !isMap(p.properties) && !isMap(p.patternProperties))
  ) {
    return { verdict: 'open' };
  }
  return { verdict: 'silent' };
}

// ---- the walk

interface Where {
  readonly chart: UpstreamChart;
  /** Path inside this chart's values (dotted, no leading dot). */
  readonly chartPath: string;
  readonly defaults: unknown;
  readonly schema?: Json;
  /** The chart's default here is an empty map or null: it documents no keys, it takes any. */
  readonly openDefaults?: boolean;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a map' : `a ${typeof v}`;
}

/**
 * Every key path of `values` that `chart` does not have, with the chart file that
 * says so. An empty list means Helm will hand every value to a template that reads it.
 */
export function unknownValuePaths(chart: UpstreamChart, values: Json): UnknownValue[] {
  const out: UnknownValue[] = [];
  walk(values, '', { chart, chartPath: '', defaults: chart.defaults, ...schemaRoot(chart) }, out);
  return out;
}

function schemaRoot(chart: UpstreamChart): { schema?: Json } {
  return chart.schema ? { schema: chart.schema } : {};
}

function walk(ours: Json, ourPath: string, where: Where, out: UnknownValue[]): void {
  const { chart } = where;
  for (const [key, value] of Object.entries(ours)) {
    const path = join(ourPath, key);
    const chartPath = join(where.chartPath, key);

    // Subcharts: their own values under their key, `global` shared with the parent.
    if (where.chartPath === '') {
      const sub = chart.subcharts.find((s) => s.key === key);
      if (sub && isMap(value)) {
        const { [sub.condition ?? '']: _condition, ...rest } = value;
        if (Object.keys(rest).length === 0) continue; // only switched on or off
        if (!sub.chart) {
          out.push({
            path,
            reason: `is a subchart (${sub.wanted} in ${shown(chart, 'Chart.yaml')}) that ../shared/charts does not hold: add it to check these values`,
          });
          continue;
        }
        walk(
          rest,
          path,
          { chart: sub.chart, chartPath: '', defaults: sub.chart.defaults, ...schemaRoot(sub.chart) },
          out,
        );
        continue;
      }
      // Istio copies `pilot.*` (istiod) and `cni.*` (cni) to the top level before rendering.
      if (chart.rootAliases.includes(key) && isMap(value)) {
        walk(value, path, where, out);
        continue;
      }
    }

    const defaults = isMap(where.defaults) ? where.defaults : undefined;
    const inDefaults = defaults !== undefined && key in defaults;
    const childDefault = inDefaults ? defaults[key] : undefined;
    const schema = chart.schema && where.schema ? schemaChild(chart.schema, where.schema, key) : undefined;
    const readByTemplates = chart.templatePaths.has(chartPath);

    const known =
      inDefaults ||
      schema?.verdict === 'known' ||
      schema?.verdict === 'open' ||
      readByTemplates ||
      (where.openDefaults === true && schema?.verdict !== 'closed');
    if (schema?.verdict === 'closed' && !inDefaults) {
      out.push({
        path,
        reason: `is refused by ${shown(chart, 'values.schema.json')} (additionalProperties: false at ${where.chartPath || 'the top level'})`,
      });
      continue;
    }
    if (!known) {
      out.push({
        path,
        reason: `is not in ${shown(chart)} (${where.chartPath || 'top level'} has ${
          Object.keys(defaults ?? {})
            .sort()
            .join(', ') || 'no keys'
        }), nor in its values.schema.json or templates`,
      });
      continue;
    }
    // Below here the chart passes the value on as a whole.
    if (chart.freeFormPaths.has(chartPath)) continue;
    if (!isMap(value)) continue;
    if (
      inDefaults &&
      childDefault !== null &&
      childDefault !== undefined &&
      !isMap(childDefault) &&
      Object.keys(value).length > 0
    ) {
      // A map where the chart has a scalar or a list: the template would print it wrongly.
      if (!Array.isArray(childDefault) || childDefault.length > 0 || !readByTemplates) {
        out.push({ path, reason: `is a map, but ${shown(chart)} has ${describeType(childDefault)} at ${chartPath}` });
      }
      continue;
    }
    const childSchema = schema?.child;
    const openDefault = !isMap(childDefault) || Object.keys(childDefault).length === 0;
    const schemaDescribes = childSchema !== undefined && schemaChildHasProperties(chart.schema!, childSchema);
    if (openDefault && !schemaDescribes) continue;
    walk(
      value,
      path,
      {
        chart,
        chartPath,
        defaults: childDefault,
        ...(childSchema ? { schema: childSchema } : {}),
        ...(openDefault ? { openDefaults: true } : {}),
      },
      out,
    );
  }
}

function schemaChildHasProperties(root: Json, node: Json): boolean {
  return schemaParts(root, node).some(
    (p) => (isMap(p.properties) && Object.keys(p.properties).length > 0) || p.additionalProperties === false,
  );
}
