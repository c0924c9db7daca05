/**
 * The charts of one run: session-start latency over time (by arrival time), agent nodes over
 * time, and pods pending / sessions over time. Each is a standalone SVG file.
 */
import type { SimulationObjective } from '../../config';
import type { SimulationRun } from './engine';
import type { SimulationModel } from './model';
import { percentile } from './results';
import { renderChart } from './svg';

/** Arrival-time buckets of the latency chart. */
const LATENCY_BUCKETS = 60;

/** The arrival span the latency chart covers: a burst of one minute gets one-second buckets. */
function arrivalSpan(run: SimulationRun): number {
  const last = run.sessions.reduce((m, s) => Math.max(m, s.arrival), 0);
  return Math.max(60, Math.ceil(last / 60) * 60);
}

function latencySeries(run: SimulationRun): {
  p50: [number, number][];
  p95: [number, number][];
  max: [number, number][];
} {
  const width = arrivalSpan(run) / LATENCY_BUCKETS;
  const buckets: number[][] = Array.from({ length: LATENCY_BUCKETS }, () => []);
  for (const s of run.sessions) {
    const wait = s.readyAt === undefined ? run.horizon - s.arrival : s.readyAt - s.arrival;
    buckets[Math.min(LATENCY_BUCKETS - 1, Math.floor(s.arrival / width))]!.push(wait);
  }
  const p50: [number, number][] = [];
  const p95: [number, number][] = [];
  const max: [number, number][] = [];
  buckets.forEach((b, i) => {
    if (b.length === 0) return;
    b.sort((a, c) => a - c);
    const mid = (i + 0.5) * width;
    p50.push([mid, percentile(b, 50)]);
    p95.push([mid, percentile(b, 95)]);
    max.push([mid, b[b.length - 1]!]);
  });
  return { p50, p95, max };
}

export function renderCharts(
  model: SimulationModel,
  run: SimulationRun,
  title: string,
  objectives: readonly SimulationObjective[],
): Record<string, string> {
  const latency = latencySeries(run);
  const samples = run.samples;
  return {
    'latency.svg': renderChart({
      title: `Session start latency by arrival time: ${title}`,
      yLabel: 'seconds to a Ready sandbox',
      horizon: arrivalSpan(run),
      series: [
        { name: 'p50', color: '#1f77b4', points: latency.p50 },
        { name: 'p95', color: '#ff7f0e', points: latency.p95 },
        { name: 'max (unstarted: until end)', color: '#d62728', points: latency.max },
      ],
      references: objectives
        .filter((o) => o.maxStartSeconds !== undefined)
        .map((o) => ({
          label: `objective ${o.percentile} ≤ ${o.maxStartSeconds} s${o.tier ? ` (${o.tier})` : ''}`,
          value: o.maxStartSeconds!,
          color: '#2ca02c',
        })),
    }),
    'nodes.svg': renderChart({
      title: `Nodes of pool ${model.agentPool.name} (${model.agentPool.instanceType}): ${title}`,
      yLabel: 'nodes',
      horizon: run.horizon,
      series: [
        { name: 'Ready', color: '#1f77b4', points: samples.map((s) => [s.time, s.nodesReady]), step: true },
        {
          name: 'Ready + provisioning',
          color: '#ff7f0e',
          points: samples.map((s) => [s.time, s.nodesReady + s.nodesProvisioning]),
          step: true,
        },
        ...(model.api
          ? [
              {
                name: `API pool ${model.api.pool.name} Ready`,
                color: '#2ca02c',
                points: samples.map((s): [number, number] => [s.time, s.apiNodesReady ?? 0]),
                step: true,
              },
              {
                name: 'API pool Ready + provisioning',
                color: '#9467bd',
                points: samples.map((s): [number, number] => [
                  s.time,
                  (s.apiNodesReady ?? 0) + (s.apiNodesProvisioning ?? 0),
                ]),
                step: true,
              },
            ]
          : []),
      ],
      references: [
        { label: `pool max ${model.agentPool.max}`, value: model.agentPool.max, color: '#d62728' },
        ...(model.api
          ? [{ label: `API pool max ${model.api.pool.max}`, value: model.api.pool.max, color: '#8c564b' }]
          : []),
      ],
    }),
    'pods.svg': renderChart({
      title: `Pods and sessions: ${title}`,
      yLabel: 'count',
      horizon: run.horizon,
      series: [
        { name: 'pods pending', color: '#d62728', points: samples.map((s) => [s.time, s.pendingPods]), step: true },
        {
          name: 'sessions running',
          color: '#1f77b4',
          points: samples.map((s) => [s.time, s.runningSessions]),
          step: true,
        },
        {
          name: 'sessions waiting',
          color: '#9467bd',
          points: samples.map((s) => [s.time, s.waitingSessions]),
          step: true,
        },
        { name: 'warm pods', color: '#2ca02c', points: samples.map((s) => [s.time, s.warmPods]), step: true },
      ],
    }),
    ...(model.api && run.api ? apiCharts(model.api, run.api, run.horizon, title, objectives) : {}),
  };
}

/** The API's replicas (desired and Ready) and its CPU utilization as the HPA read it, per sync. */
function apiCharts(
  api: NonNullable<SimulationModel['api']>,
  run: NonNullable<SimulationRun['api']>,
  horizon: number,
  title: string,
  objectives: readonly SimulationObjective[],
): Record<string, string> {
  const syncs = run.syncs;
  return {
    'api.svg': renderChart({
      title: `API replicas: ${title}`,
      yLabel: 'replicas',
      horizon,
      series: [
        { name: 'replicas (HPA)', color: '#ff7f0e', points: syncs.map((s) => [s.time, s.replicas]), step: true },
        { name: 'Ready', color: '#1f77b4', points: syncs.map((s) => [s.time, s.ready]), step: true },
      ],
      references: [{ label: `max ${api.max}`, value: api.max, color: '#d62728' }],
    }),
    'api-utilization.svg': renderChart({
      title: `API CPU utilization (% of requests, as the HPA reads it): ${title}`,
      yLabel: 'percent',
      horizon,
      series: [
        {
          name: 'CPU utilization',
          color: '#1f77b4',
          points: syncs.filter((s) => !Number.isNaN(s.cpuUtilization)).map((s) => [s.time, s.cpuUtilization]),
        },
      ],
      references: [
        ...(api.cpuTarget === undefined
          ? []
          : [{ label: `HPA target ${api.cpuTarget} %`, value: api.cpuTarget, color: '#ff7f0e' }]),
        ...objectives
          .filter((o) => o.maxApiCpuUtilization !== undefined)
          .map((o) => ({
            label: `objective ${o.percentile} ≤ ${o.maxApiCpuUtilization} %`,
            value: o.maxApiCpuUtilization!,
            color: '#2ca02c',
          })),
      ],
    }),
  };
}
