/**
 * The printed result of a simulation: markdown tables (readable in a terminal and in a PR
 * comment) with the latency percentiles per tier, the binding limits in the order they bound,
 * nodes, quota headroom, cost, the objectives and every assumed parameter.
 */
import type { SimulationModel } from './model';
import { formatMeasured, verdict, type ObjectiveResult } from './objectives';
import type { Summary } from './results';
import { formatSeconds } from './format';

export { formatSeconds };

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

const pct = (n: number) => (Number.isNaN(n) ? 'n/a' : `${n} %`);
const rps = (n: number) => `${Math.round(n * 10) / 10}`;

function apiSection(a: NonNullable<Summary['api']>): string[] {
  const out: string[] = [];
  const p = a.pool;
  out.push(
    `API: replicas ${a.min}–${a.max}, peak ${a.peakReplicas}` +
      `${a.firstScaleUpAt === undefined ? ', never scaled up' : `, first scale-up at ${clock(a.firstScaleUpAt)}`}; ` +
      `CPU utilization p50 ${pct(a.cpuUtilization.p50)}, p95 ${pct(a.cpuUtilization.p95)}, max ${pct(a.cpuUtilization.max)}` +
      `${a.cpuTarget === undefined ? '' : ` (HPA target ${a.cpuTarget} %)`}; peak demand ${rps(a.peakDemandRps)} req/s. ` +
      `Pool \`${p.pool}\` (${p.instanceType}): ${p.initial} at the start, peak ${p.peak}, max ${p.max}.`,
  );
  out.push('');
  out.push(
    a.delayedSessions === 0
      ? 'The API was never saturated: no session start waited for it.'
      : `The API was saturated for ${formatSeconds(a.saturatedSeconds)}: ${a.delayedSessions} session starts waited for it, the longest ${formatSeconds(a.maxDelay)}.`,
  );
  out.push('');
  out.push('<details><summary>API over time (HPA syncs)</summary>');
  out.push('');
  out.push('| time | replicas | Ready | demand req/s | CPU utilization |');
  out.push('| ---: | ---: | ---: | ---: | ---: |');
  for (const r of a.timeline) {
    out.push(`| ${clock(r.time)} | ${r.replicas} | ${r.ready} | ${rps(r.demandRps)} | ${pct(r.cpuUtilization)} |`);
  }
  out.push('');
  out.push('</details>');
  return out;
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
      'No limit bound: every session got a pod without waiting on quota, pool max, KEDA max, the warm pool or a tier limit, and the API never wanted more than its max or its pool.',
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
  if (summary.api) out.push('', ...apiSection(summary.api));
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
    `Cost of the period: **${money(c.total, c.currency)}** (agent pool ${money(c.agentPool, c.currency)}${c.apiPool === undefined ? '' : `, API pool ${money(c.apiPool, c.currency)}`}, other pools ${money(c.otherPools, c.currency)})` +
      `${c.perSession === undefined ? '' : `, **${money(c.perSession, c.currency)} per started session**`}; servers only, list prices of ${c.pricesAsOf} / 730 h` +
      `${c.unpriced.length > 0 ? `; not priced: ${c.unpriced.join(', ')}` : ''}.`,
  );
  if (objectives.length > 0) {
    out.push('');
    out.push('| objective | measured | result |');
    out.push('| --- | ---: | --- |');
    for (const o of objectives) out.push(`| ${o.label} | ${formatMeasured(o.objective, o.measured)} | ${verdict(o)} |`);
  }
  out.push('');
  out.push(
    '<details><summary>Assumed parameters (override under <code>simulation.timings</code> and <code>simulation.api</code>)</summary>',
  );
  out.push('');
  out.push('| parameter | value | source |');
  out.push('| --- | ---: | --- |');
  for (const p of model.parameters) out.push(`| ${p.name} | ${p.value} | ${p.source} |`);
  out.push('');
  out.push('</details>');
  return out.join('\n');
}
