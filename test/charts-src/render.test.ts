import { ApiObject, App, Chart, type ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { parse, stringify } from 'yaml';
import { parseEnvironment, type EnvironmentSpec } from '../../config';
import { buildApp } from '../../charts-src/app';
import { chartObjects, renderStack, toYaml, YAML_OPTIONS } from '../../charts-src/render';
import { scaleStackFile } from '../../tools/bench/scale';
import { REPO_ROOT, stackSpec } from '../support/environments';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The pipeline as it was before it was optimized: plain cdk8s Chart.toJson(), the YAML options it had. */
const ORIGINAL_YAML_OPTIONS = {
  version: '1.1',
  lineWidth: 0,
  minContentWidth: 0,
  aliasDuplicateObjects: false,
} as const;
function plainCdk8sRender(spec: EnvironmentSpec): { name: string; content: string }[] {
  const app = buildApp(spec);
  const files: { name: string; content: string }[] = [];
  for (const child of app.node.children) {
    if (!(child instanceof Chart)) continue;
    const objects = child.toJson();
    if (objects.length === 0) continue;
    files.push({
      name: `${child.node.id}.yaml`,
      content: objects.map((o: unknown) => stringify(o, ORIGINAL_YAML_OPTIONS)).join('---\n'),
    });
  }
  return files;
}

function scaleSpec(tenants: number): EnvironmentSpec {
  const text = scaleStackFile(readFileSync(join(REPO_ROOT, 'Pulumi.staging.yaml'), 'utf8'), tenants);
  const raw = (parse(text) as { config: Record<string, unknown> }).config['agent-platform:platform'];
  return parseEnvironment(raw, { stack: `scale-${tenants}`, source: 'scale' }).spec;
}

describe('renderStack output is byte-identical to plain cdk8s Chart.toJson() + yaml', () => {
  it.each([
    ['staging', () => stackSpec('staging')],
    ['prod', () => stackSpec('prod')],
    ['staging with 50 tenants', () => scaleSpec(50)],
  ])('%s', (_name, spec) => {
    const s = spec();
    const rendered = renderStack(s, '0.0.0').files.map((f) => ({ name: f.name, content: f.content }));
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered).toEqual(plainCdk8sRender(s));
  });

  it('the YAML options change nothing but speed', () => {
    const objects = [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x' },
        data: { a: 'true', b: '1.0', c: 'multi\nline', d: '' },
      },
      { list: [1, 'two', null, { nested: [] }], empty: {}, quoted: "it's", tag: '!not-a-tag', star: '*x' },
      { updateMode: 'Off', on: 'yes', n: 'no', y: 'y', octal: '0755', time: '12:30', bin: '0b101', date: '2001-12-14' },
    ];
    expect(toYaml(objects)).toBe(objects.map((o) => stringify(o, ORIGINAL_YAML_OPTIONS)).join('---\n'));
    expect(YAML_OPTIONS.directives).toBe(false);
  });
});

/** A small app exercising what Chart.toJson() does besides rendering: ordering by dependencies, nested charts, validation. */
function dependencyApp(): App {
  const app = new App();
  const props: ChartProps = { disableResourceNameHashes: true };
  const first = new Chart(app, 'first', props);
  const a = new ApiObject(first, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
  const b = new ApiObject(first, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
  const group = new Construct(first, 'group');
  new ApiObject(group, 'c', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  new ApiObject(group, 'd', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'd' } });
  // Declared before its dependency: the dependency must come first in the output.
  a.addDependency(b);
  b.node.addDependency(group);
  const second = new Chart(app, 'second', props);
  const e = new ApiObject(second, 'e', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'e' } });
  e.node.addDependency(group); // cross-chart: second depends on first
  const nested = new Chart(second, 'nested', props);
  new ApiObject(nested, 'f', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f' } });
  new Chart(app, 'empty', props);
  // No dependencies at all: the tree order.
  const plain = new Chart(app, 'plain', props);
  const outer = new Construct(plain, 'outer');
  new ApiObject(new Construct(outer, 'inner'), 'g', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'g' } });
  new ApiObject(outer, 'h', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'h' } });
  new ApiObject(plain, 'i', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'i' } });
  return app;
}

describe('chartObjects', () => {
  it('renders exactly what Chart.toJson() renders, chart by chart, in dependency order', () => {
    const expected = dependencyApp()
      .node.children.filter((c): c is Chart => c instanceof Chart)
      .map((c) => ({ name: `${c.node.id}.yaml`, objects: c.toJson() }))
      .filter((c) => c.objects.length > 0);
    const actual = chartObjects(dependencyApp());
    expect(actual).toEqual(expected);
    expect(actual.map((c) => c.name)).toEqual(['first.yaml', 'second.yaml', 'plain.yaml']);
    expect(actual[0]!.objects.map((o) => o.metadata.name)).toEqual(['c', 'd', 'b', 'a']);
    // The nested chart's object belongs to the nested chart, not to its parent.
    expect(actual[1]!.objects.map((o) => o.metadata.name)).toEqual(['e']);
    expect(actual[2]!.objects.map((o) => o.metadata.name)).toEqual(['g', 'h', 'i']);
  });

  it('fails on a construct validation error with the message cdk8s gives', () => {
    const build = () => {
      const app = dependencyApp();
      const chart = app.node.findChild('first') as Chart;
      chart.node.addValidation({ validate: () => ['replicas must be >= 1'] });
      return app;
    };
    let cdk8sMessage = '';
    try {
      (build().node.findChild('first') as Chart).toJson();
    } catch (error) {
      cdk8sMessage = (error as Error).message;
    }
    expect(cdk8sMessage).toContain('[first] replicas must be >= 1');
    expect(() => chartObjects(build())).toThrow(cdk8sMessage);
  });
});

describe('toYaml', () => {
  it('quotes strings that YAML 1.1 readers (kubectl, Helm, the API server) would take for booleans', () => {
    const text = toYaml([{ spec: { updateMode: 'Off', a: 'on', b: 'yes', c: 'no', d: 'true', e: 'Recreate' } }]);
    expect(text).toContain('updateMode: "Off"');
    expect(text).toContain('e: Recreate');
    const asGoReadsIt = parse(text, { version: '1.1' });
    expect(asGoReadsIt.spec).toEqual({ updateMode: 'Off', a: 'on', b: 'yes', c: 'no', d: 'true', e: 'Recreate' });
  });

  it('separates documents and never wraps long lines', () => {
    const long = 'x'.repeat(300);
    const text = toYaml([{ a: long }, { b: 1 }]);
    expect(text).toBe(`a: ${long}\n---\nb: 1\n`);
  });
});
