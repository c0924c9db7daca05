/**
 * One cdk8s App per environment. The order of CHARTS is the order of files in
 * dist/<stack>/index.json, and the order in which infra/ applies them.
 */
import { App, type Chart } from 'cdk8s';
import type { EnvironmentSpec } from '../config';
import { AccessChart } from './charts/access';
import { AgentRuntimeChart } from './charts/agent-runtime';
import { DataServicesChart } from './charts/data-services';
import { JobsChart } from './charts/jobs';
import { NamespacesChart } from './charts/namespaces';
import { StorageChart } from './charts/storage';

/** Builds the charts of one concern; returns nothing for a concern the environment does not use. */
export type ChartFactory = (app: App, spec: EnvironmentSpec) => Chart | undefined;

export const CHARTS: readonly { readonly id: string; readonly build: ChartFactory }[] = [
  { id: 'namespaces', build: (app, spec) => new NamespacesChart(app, 'namespaces', spec) },
  { id: 'storage', build: (app, spec) => new StorageChart(app, 'storage', spec) },
  { id: 'access', build: (app, spec) => new AccessChart(app, 'access', spec) },
  {
    id: 'agent-runtime',
    build: (app, spec) => (spec.agents ? new AgentRuntimeChart(app, 'agent-runtime', spec) : undefined),
  },
  { id: 'data-services', build: (app, spec) => new DataServicesChart(app, 'data-services', spec) },
  { id: 'jobs', build: (app, spec) => new JobsChart(app, 'jobs', spec) },
];

export function buildApp(spec: EnvironmentSpec): App {
  const app = new App({ outdir: 'cdk8s.out' });
  for (const chart of CHARTS) chart.build(app, spec);
  return app;
}
