/**
 * The upstream Helm charts in ../shared/charts/<chart>/<version>/ (copied unchanged
 * from their repositories), read as the judge of the values the add-ons pass:
 * `values.yaml` (the defaults, i.e. every key the chart documents), `values.schema.json`
 * where the chart has one, the templates (which `.Values` paths they read, and which
 * subtrees they hand to Kubernetes verbatim with `toYaml` or iterate as free-form maps),
 * and the subcharts its Chart.yaml depends on.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { SHARED_ROOT } from './environments';

export const CHARTS_ROOT = join(SHARED_ROOT, 'charts');

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Subchart {
  /** The key the parent's values use for it (alias or name). */
  readonly key: string;
  readonly chart: UpstreamChart | undefined;
  /** `<name> <version>` as Chart.yaml lists it, for messages. */
  readonly wanted: string;
  /** The subchart's key that enables it in the parent (`enabled` for `grafana.enabled`). */
  readonly condition?: string;
}

export interface UpstreamChart {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  /** The defaults as the templates see them (Istio's `_internal_defaults_do_not_set` unwrapped). */
  readonly defaults: Json;
  readonly schema?: Json;
  /** `.Values` paths the templates read (dotted). */
  readonly templatePaths: ReadonlySet<string>;
  /** Paths whose whole subtree the templates pass on verbatim (toYaml, range over a map). */
  readonly freeFormPaths: ReadonlySet<string>;
  /** Keys whose content the chart copies to the top level (Istio's `zzy_descope_legacy.yaml`). */
  readonly rootAliases: readonly string[];
  readonly subcharts: readonly Subchart[];
}

/** `<chart>/<version>` folder, or undefined when ../shared/charts does not hold that version. */
export function chartDir(chart: string, version: string): string | undefined {
  const dir = join(CHARTS_ROOT, chart, version);
  return existsSync(join(dir, 'Chart.yaml')) ? dir : undefined;
}

export function availableVersions(chart: string): string[] {
  const dir = join(CHARTS_ROOT, chart);
  return existsSync(dir) ? readdirSync(dir).filter((v) => statSync(join(dir, v)).isDirectory()) : [];
}

function templateTexts(dir: string): string[] {
  const templates = join(dir, 'templates');
  if (!existsSync(templates)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ya?ml|tpl|txt)$/.test(entry)) out.push(readFileSync(path, 'utf8'));
    }
  };
  walk(templates);
  return out;
}

const VALUES_REF = String.raw`\$?\.Values((?:\.[A-Za-z_][\w]*)+)`;

/** What the templates read, and what they pass through unexamined. */
function scanTemplates(texts: readonly string[]): { read: Set<string>; freeForm: Set<string>; aliases: string[] } {
  const read = new Set<string>();
  const freeForm = new Set<string>();
  const aliases: string[] = [];
  for (const text of texts) {
    for (const m of text.matchAll(new RegExp(VALUES_REF, 'g'))) read.add(m[1]!.slice(1));
    // {{ toYaml .Values.x }}, {{ .Values.x | toYaml }}, {{ tpl (toYaml .Values.x) . }}
    for (const m of text.matchAll(new RegExp(String.raw`toYaml\s+\(?${VALUES_REF}`, 'g'))) freeForm.add(m[1]!.slice(1));
    for (const m of text.matchAll(new RegExp(String.raw`${VALUES_REF}\s*\|\s*toYaml`, 'g')))
      freeForm.add(m[1]!.slice(1));
    // {{ include "x.resources" .Values.resources }}: a named template takes the whole subtree.
    for (const m of text.matchAll(new RegExp(String.raw`include\s+"[^"]+"\s+\(?${VALUES_REF}`, 'g')))
      freeForm.add(m[1]!.slice(1));
    // {{- range $key, $value := .Values.env }}: a map whose keys are the chart user's.
    for (const m of text.matchAll(new RegExp(String.raw`range\s+\$\w+\s*,\s*\$\w+\s*:=\s*${VALUES_REF}`, 'g')))
      freeForm.add(m[1]!.slice(1));
    // {{- with .Values.x }} ... {{ toYaml . }}: the block hands the whole value on.
    for (const m of text.matchAll(new RegExp(String.raw`with\s+${VALUES_REF}\s*-?}}([\s\S]*?){{-?\s*end`, 'g'))) {
      if (/toYaml\s+\.\s/.test(m[2]!) || /toYaml\s+\.\s*[|}]/.test(m[2]!)) freeForm.add(m[1]!.slice(1));
    }
    // Istio: {{- $_ := mustMergeOverwrite $.Values (index $.Values "pilot") }}
    for (const m of text.matchAll(/mustMergeOverwrite\s+\$\.Values\s+\(index\s+\$\.Values\s+"([\w-]+)"\)/g))
      aliases.push(m[1]!);
  }
  return { read, freeForm, aliases };
}

const cache = new Map<string, UpstreamChart | undefined>();

/** Loads a chart from ../shared/charts (cached); undefined when that version is absent. */
export function loadChart(chart: string, version: string): UpstreamChart | undefined {
  return loadChartAt(chart, version, chartDir(chart, version));
}

function loadChartAt(chart: string, version: string, dir: string | undefined): UpstreamChart | undefined {
  const id = dir ?? `${chart}@${version}`;
  if (cache.has(id)) return cache.get(id);
  let loaded: UpstreamChart | undefined;
  if (dir) {
    const raw = (parse(readFileSync(join(dir, 'values.yaml'), 'utf8')) ?? {}) as Json;
    // Istio charts keep their defaults under one key and merge them in zzz_profile.yaml.
    const wrapped = raw['_internal_defaults_do_not_set'];
    const defaults = isMap(wrapped) ? wrapped : raw;
    const schemaFile = join(dir, 'values.schema.json');
    const schema = existsSync(schemaFile) ? (JSON.parse(readFileSync(schemaFile, 'utf8')) as Json) : undefined;
    const scan = scanTemplates(templateTexts(dir));
    const meta = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as {
      dependencies?: { name: string; version: string; alias?: string; condition?: string }[];
    };
    const subcharts = (meta.dependencies ?? []).map((d) => {
      const key = d.alias ?? d.name;
      // A condition on the subchart's own key (`grafana.enabled`) is a parent value, not the subchart's.
      const condition = d.condition?.startsWith(`${key}.`) ? d.condition.slice(key.length + 1) : undefined;
      return {
        key,
        // Vendored in the chart's charts/ folder (kube-prometheus-stack's crds), or a separate copy.
        chart: loadVendored(dir, d.name) ?? (exactVersion(d.version) ? loadChart(d.name, d.version) : undefined),
        wanted: `${d.name} ${d.version}`,
        ...(condition ? { condition } : {}),
      };
    });
    loaded = {
      name: chart,
      version,
      dir,
      defaults,
      ...(schema ? { schema } : {}),
      templatePaths: scan.read,
      freeFormPaths: scan.freeForm,
      rootAliases: scan.aliases,
      subcharts,
    };
  }
  cache.set(id, loaded);
  return loaded;
}

function loadVendored(parentDir: string, name: string): UpstreamChart | undefined {
  const dir = join(parentDir, 'charts', name);
  if (!existsSync(join(dir, 'Chart.yaml'))) return undefined;
  const version = String((parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as { version: unknown }).version);
  return loadChartAt(name, version, dir);
}

const exactVersion = (v: string) => /^\d+\.\d+\.\d+$/.test(v);

/** A chart path relative to the repository's neighbour folder, for messages: `../shared/charts/x/1.0.0/values.yaml`. */
export function shown(chart: UpstreamChart, file = 'values.yaml'): string {
  return join('../shared/charts', relative(CHARTS_ROOT, chart.dir), file);
}
