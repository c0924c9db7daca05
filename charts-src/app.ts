/**
 * One cdk8s App per environment. The order of CHARTS is the order of files in
 * dist/<stack>/index.json, and the order in which infra/ applies them.
 */
import { App, type Chart } from 'cdk8s';
import type { EnvironmentSpec } from '../config';
import { AgentRuntimeChart } from './charts/agent-runtime';
import { NamespacesChart } from './charts/namespaces';

/** Builds the charts of one concern; returns nothing for a concern the environment does not use. */
export type ChartFactory = (app: App, spec: EnvironmentSpec) => Chart | undefined;

export const CHARTS: readonly { readonly id: string; readonly build: ChartFactory }[] = [
  { id: 'namespaces', build: (app, spec) => new NamespacesChart(app, 'namespaces', spec) },
  {
    id: 'agent-runtime',
    build: (app, spec) => (spec.agents ? new AgentRuntimeChart(app, 'agent-runtime', spec) : undefined),
  },
];

export function buildApp(spec: EnvironmentSpec): App {
  const app = new App({ outdir: 'cdk8s.out' });
  for (const chart of CHARTS) chart.build(app, spec);
  return app;
}
