/**
 * The plan as Markdown (for the PR comment) and as JSON (for scripts).
 */
import { taintString, type EnvironmentSpec, type NodePool } from '../../config';
import { money, renderCostMarkdown } from '../cost';
import { renderSessionCostMarkdown } from '../session-cost';
import { renderCloudChanges, renderPlanRisks } from './changes-markdown';
import type { PlanDocument } from './document';
import type { HelmRelease, PlanEntry } from './summarize';

export type { PlanDocument } from './document';

const VARYING = new Set(['location', 'availabilityZone']);

/** Identical resources (same type and key inputs but location) collapse into one row. */
export function aggregate(
  entries: readonly PlanEntry[],
): { type: string; count: number; names: string[]; inputs: string }[] {
  const rows = new Map<
    string,
    { type: string; count: number; names: string[]; inputs: string; varying: Map<string, Set<string>> }
  >();
  for (const e of entries) {
    const fixed = e.inputs.filter((i) => !VARYING.has(i.name));
    const key = `${e.type}\0${JSON.stringify(fixed)}`;
    const row = rows.get(key) ?? {
      type: e.type,
      count: 0,
      names: [] as string[],
      inputs: '',
      varying: new Map<string, Set<string>>(),
    };
    row.count++;
    row.names.push(e.name);
    row.inputs = fixed.map((i) => `${i.name}: ${i.value}`).join('; ');
    for (const i of e.inputs.filter((x) => VARYING.has(x.name))) {
      const set = row.varying.get(i.name) ?? new Set<string>();
      set.add(i.value);
      row.varying.set(i.name, set);
    }
    rows.set(key, row);
  }
  return [...rows.values()].map((r) => ({
    type: r.type,
    count: r.count,
    names: r.names,
    inputs: [r.inputs, ...[...r.varying].map(([k, v]) => `${k}: ${[...v].join(', ')}`)].filter(Boolean).join('; '),
  }));
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

function namesOf(names: string[]): string {
  return names.length <= 3
    ? names.map((n) => `\`${n}\``).join(', ')
    : `\`${names[0]}\` … \`${names[names.length - 1]}\``;
}

function table(entries: readonly PlanEntry[]): string[] {
  if (entries.length === 0) return ['_No cloud resources declared._', ''];
  const lines = ['| count | type | names | key inputs |', '| --- | --- | --- | --- |'];
  for (const row of aggregate(entries)) {
    lines.push(`| ${row.count} | \`${row.type}\` | ${namesOf(row.names)} | ${cell(row.inputs)} |`);
  }
  lines.push('');
  return lines;
}

function poolLine(pool: NodePool): string {
  const size = pool.autoscaled
    ? `${pool.min}–${pool.max} nodes (autoscaled, ${pool.initial} created by the program)`
    : `${pool.min} nodes (fixed)`;
  const extras = [pool.capacity, pool.gvisor ? 'gVisor' : undefined, pool.gpu ? 'GPU' : undefined]
    .filter(Boolean)
    .join(', ');
  const labels = Object.entries(pool.labels).map(([k, v]) => `${k}=${v}`);
  return (
    `role \`${pool.role}\`, \`${pool.instanceType}\` (${pool.instance.vcpu} vCPU, ${pool.instance.memoryGiB} GiB), ${size}, ${extras}; ` +
    `locations ${pool.locations.join(', ')}; taints ${pool.taints.length ? pool.taints.map((t) => `\`${taintString(t)}\``).join(', ') : 'none'}` +
    (labels.length ? `; extra labels ${labels.map((l) => `\`${l}\``).join(', ')}` : '')
  );
}

/** One line for the top of the plan: the total and, when known, its change against the base. */
export function costHeadline(doc: PlanDocument): string {
  const c = doc.cost.currency;
  let line = `**Estimated monthly cost:** ${money(doc.cost.totalMin, c)} at minimum size, ${money(doc.cost.totalMax, c)} at maximum (prices as of ${doc.cost.pricesAsOf})`;
  const diff = doc.costDiff;
  if (diff && !('unavailable' in diff) && !diff.currencyChanged) {
    const signed = (n: number) => (n > 0 ? `+${money(n, c)}` : money(n, c));
    line +=
      diff.deltaMin === 0 && diff.deltaMax === 0
        ? '; node pools unchanged against the base'
        : `; node pools against the base: ${signed(diff.deltaMin)} at minimum, ${signed(diff.deltaMax)} at maximum`;
  }
  return `${line}.`;
}

export function renderPlanMarkdown(spec: EnvironmentSpec, doc: PlanDocument): string {
  const { plan } = doc;
  const lines = [
    `## Plan: stack \`${plan.stack}\``,
    '',
    `Cloud \`${spec.cloud.provider}\` (${spec.cloud.region}: ${spec.cloud.locations.join(', ')}), Kubernetes ${spec.kubernetes.version}. ` +
      `Offline: the Pulumi program ran against a mocked engine (no credentials, no CLI, nothing created); ` +
      `it declares ${plan.resourceCount} resources (${plan.customCount} managed by providers).`,
    '',
  ];
  lines.push(costHeadline(doc), '');
  if (doc.warnings && doc.warnings.length > 0) {
    lines.push(...doc.warnings.map((w) => `> ⚠️ ${w}`), '');
  }
  lines.push(...renderPlanRisks(doc), ...renderCloudChanges(doc));
  lines.push('### Node pools', '');
  for (const group of plan.pools) {
    lines.push(`#### Pool \`${group.pool.name}\``, '', poolLine(group.pool), '', ...table(group.resources));
  }
  lines.push('### Add-ons', '');
  if (plan.addons.length === 0) {
    lines.push('_No add-ons declared._', '');
  } else {
    lines.push(
      '| add-on | release | chart | version | namespace | repository | replicas | Pulumi resources |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const a of plan.addons) {
      const releases: readonly HelmRelease[] = a.releases.length > 0 ? a.releases : [{ name: '–' }];
      releases.forEach((r, i) => {
        lines.push(
          `| ${i === 0 ? a.addon : ''} | ${r.name} | ${r.chart ?? '–'} | ${r.version ?? '–'} | ${r.namespace ?? '–'} | ${r.repository ?? '–'} | ${r.replicas ? r.replicas.map((x) => `\`${x}\``).join(', ') : '–'} | ${i === 0 ? a.resources.length : ''} |`,
        );
      });
    }
    lines.push('');
  }
  if (plan.shared.length > 0) {
    lines.push('### Cluster, network and shared resources', '');
    for (const group of plan.shared) lines.push(`#### ${group.group}`, '', ...table(group.resources));
  }
  if (plan.manifests.length > 0) {
    lines.push(
      '### Manifests layer',
      '',
      `The reviewed files of \`dist/${plan.stack}/\`, applied as they are (their content is in the manifest diff):`,
      '',
      '| name | type | objects | files |',
      '| --- | --- | --- | --- |',
      ...plan.manifests.map(
        (m) =>
          `| ${m.name} | \`${m.type}\` | ${m.objects ?? '–'} | ${m.files ? m.files.map((f) => `\`${f}\``).join(', ') : '–'} |`,
      ),
      '',
    );
  }
  lines.push(...renderCostMarkdown(doc.cost, doc.costDiff), ...renderSessionCostMarkdown(doc.sessionCost));
  return lines.join('\n');
}

export function planJson(spec: EnvironmentSpec, doc: PlanDocument): unknown {
  return {
    stack: doc.plan.stack,
    cloud: spec.cloud.provider,
    resourceCount: doc.plan.resourceCount,
    pools: doc.plan.pools.map((g) => ({
      name: g.pool.name,
      role: g.pool.role,
      instanceType: g.pool.instanceType,
      min: g.pool.min,
      max: g.pool.max,
      initial: g.pool.initial,
      capacity: g.pool.capacity,
      resources: g.resources,
    })),
    addons: doc.plan.addons,
    shared: doc.plan.shared,
    manifests: doc.plan.manifests,
    cost: doc.cost,
    warnings: doc.warnings ?? [],
    ...(doc.costDiff ? { costDiff: doc.costDiff } : {}),
    ...(doc.cloudChanges ? { cloudChanges: doc.cloudChanges } : {}),
    ...(doc.sessionCost ? { sessionCost: doc.sessionCost } : {}),
    ...(doc.risks ? { risks: doc.risks } : {}),
  };
}
