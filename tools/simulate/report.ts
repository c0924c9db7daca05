/**
 * The printed result of a simulation: markdown tables (readable in a terminal and in a PR
 * comment) with the latency percentiles per tier, the binding limits in the order they bound,
 * nodes, quota headroom, cost, the objectives and every assumed parameter.
 */
import type { SimulationModel } from './model';
import { verdict, type ObjectiveResult } from './objectives';
import type { Summary } from './results';

export function formatSeconds(s: number): string {
  if (Number.isNaN(s)) return '–';
  if (s === Infinity) return 'not started';
  return s < 100 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

const clock = (s: number) => {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(sec).padStart(2, '0')}s`;
};

const money = (n: number, currency: string) => `${n.toFixed(n < 1 ? 4 : 2)} ${currency}`;

function quotaValue(resource: string, n: number): string {
  if (resource === 'cpu' || resource === 'limitsCpu') return `${Math.round(n) / 1000}`;
  if (resource === 'memory' || resource === 'limitsMemory') return `${(n / 2 ** 30).toFixed(1)}Gi`;
  return String(n);
}

export function formatSummary(
  summary: Summary,
  model: SimulationModel,
  objectives: readonly ObjectiveResult[],
): string {
  const out: string[] = [];
  out.push(`### Simulation: \`${summary.stack}\`, profile \`${summary.profile}\`, seed ${summary.seed}`);
  out.push('');
  out.push(`${summary.description}; ${clock(summary.horizon)} simulated (${summary.events} events).`);
  out.push('');
  out.push('| tier | sessions | started | warm claims | p50 start | p95 start | p99 start | max |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const l of summary.latency) {
    out.push(
      `| ${l.tier} | ${l.sessions} | ${l.started} | ${l.warm} | ${formatSeconds(l.p50)} | ${formatSeconds(l.p95)} | ${formatSeconds(l.p99)} | ${formatSeconds(l.max)} |`,
    );
  }
  out.push('');
  if (summary.limits.length === 0) {
    out.push(
      'No limit bound: every session got a pod without waiting on quota, pool max, KEDA max, the warm pool or a tier limit.',
    );
  } else {
    const first = summary.limits[0]!;
    out.push(`**Bound first: ${first.limit}** at ${clock(first.firstAt)}: ${first.detail}.`);
    out.push('');
    out.push('| limit | first bound at | times | what |');
    out.push('| --- | ---: | ---: | --- |');
    for (const l of summary.limits) out.push(`| ${l.limit} | ${clock(l.firstAt)} | ${l.count} | ${l.detail} |`);
  }
  out.push('');
  const n = summary.nodes;
  out.push(
    `Nodes of pool \`${n.pool}\` (${n.instanceType}): ${n.initial} at the start, peak ${n.peak}, max ${n.max}; peak pods pending ${summary.peakPendingPods}.`,
  );
  out.push('');
  out.push('| agents quota | hard | peak used | headroom |');
  out.push('| --- | ---: | ---: | ---: |');
  for (const q of summary.quota) {
    out.push(
      `| ${q.resource} | ${quotaValue(q.resource, q.hard)} | ${quotaValue(q.resource, q.peak)} | ${quotaValue(q.resource, q.headroom)} |`,
    );
  }
  out.push('');
  const c = summary.cost;
  out.push(
    `Cost of the period: **${money(c.total, c.currency)}** (agent pool ${money(c.agentPool, c.currency)}, other pools ${money(c.otherPools, c.currency)})` +
      `${c.perSession === undefined ? '' : `, **${money(c.perSession, c.currency)} per started session**`}; servers only, list prices of ${c.pricesAsOf} / 730 h` +
      `${c.unpriced.length > 0 ? `; not priced: ${c.unpriced.join(', ')}` : ''}.`,
  );
  if (objectives.length > 0) {
    out.push('');
    out.push('| objective | measured | result |');
    out.push('| --- | ---: | --- |');
    for (const o of objectives) out.push(`| ${o.label} | ${formatSeconds(o.measured)} | ${verdict(o)} |`);
  }
  out.push('');
  out.push('<details><summary>Assumed parameters (override under <code>simulation.timings</code>)</summary>');
  out.push('');
  out.push('| parameter | value | source |');
  out.push('| --- | ---: | --- |');
  for (const p of model.parameters) out.push(`| ${p.name} | ${p.value} | ${p.source} |`);
  out.push('');
  out.push('</details>');
  return out.join('\n');
}
