/**
 * One cdk8s App per environment. The order of CHARTS is the order of files in
 * dist/<stack>/index.json, and the order in which infra/ applies them.
 */
import { App, type Chart } from 'cdk8s';
import {
  ADMISSION_POLICY_MIN_MINOR,
  certManagerEnabled,
  cloudProfile,
  minorAtLeast,
  type EnvironmentSpec,
} from '../config';
import { AccessChart } from './charts/access';
import { AdmissionChart } from './charts/admission';
import { AgentRuntimeChart } from './charts/agent-runtime';
import { CertificatesChart } from './charts/certificates';
import { BackupChart } from './charts/backup';
import { ControlPlaneChart } from './charts/control-plane';
import { DataServicesChart } from './charts/data-services';
import { GuardrailsChart } from './charts/guardrails';
import { JobsChart } from './charts/jobs';
import { MeshChart } from './charts/mesh';
import { MonitoringChart } from './charts/monitoring';
import { NamespacesChart } from './charts/namespaces';
import { PriorityClassesChart } from './charts/priority-classes';
import { ServicesChart } from './charts/services';
import { StorageChart } from './charts/storage';
import { UpgradesChart } from './charts/upgrades';

/** Builds the charts of one concern; returns nothing for a concern the environment does not use. */
export type ChartFactory = (app: App, spec: EnvironmentSpec) => Chart | undefined;

export const CHARTS: readonly { readonly id: string; readonly build: ChartFactory }[] = [
  { id: 'namespaces', build: (app, spec) => new NamespacesChart(app, 'namespaces', spec) },
  { id: 'priority-classes', build: (app, spec) => new PriorityClassesChart(app, 'priority-classes', spec) },
  {
    id: 'storage',
    build: (app, spec) =>
      spec.storageClasses.length + spec.volumeSnapshotClasses.length > 0
        ? new StorageChart(app, 'storage', spec)
        : undefined,
  },
  { id: 'guardrails', build: (app, spec) => new GuardrailsChart(app, 'guardrails', spec) },
  {
    id: 'access',
    build: (app, spec) =>
      spec.access.clusterReadOnlyGroups.length > 0 ? new AccessChart(app, 'access', spec) : undefined,
  },
  {
    id: 'admission',
    // ValidatingAdmissionPolicy v1 is served from 1.30 on; the model refuses agents before that.
    build: (app, spec) =>
      minorAtLeast(spec.kubernetes.version, ADMISSION_POLICY_MIN_MINOR)
        ? new AdmissionChart(app, 'admission', spec)
        : undefined,
  },
  { id: 'control-plane', build: (app, spec) => new ControlPlaneChart(app, 'control-plane', spec) },
  {
    id: 'agent-runtime',
    build: (app, spec) => (spec.agents ? new AgentRuntimeChart(app, 'agent-runtime', spec) : undefined),
  },
  {
    id: 'services',
    build: (app, spec) => (spec.services.length > 0 ? new ServicesChart(app, 'services', spec) : undefined),
  },
  {
    id: 'data-services',
    build: (app, spec) =>
      spec.statefulServices.length > 0 ? new DataServicesChart(app, 'data-services', spec) : undefined,
  },
  { id: 'jobs', build: (app, spec) => (spec.jobs.length > 0 ? new JobsChart(app, 'jobs', spec) : undefined) },
  { id: 'backup', build: (app, spec) => (spec.backup ? new BackupChart(app, 'backup', spec) : undefined) },
  { id: 'mesh', build: (app, spec) => (spec.addons.istio.enabled ? new MeshChart(app, 'mesh', spec) : undefined) },
  {
    id: 'certificates',
    build: (app, spec) => (certManagerEnabled(spec) ? new CertificatesChart(app, 'certificates', spec) : undefined),
  },
  {
    id: 'monitoring',
    build: (app, spec) =>
      spec.addons.kubePrometheusStack.enabled ? new MonitoringChart(app, 'monitoring', spec) : undefined,
  },
  {
    // k3s on Hetzner upgrades in place through system-upgrade-controller; EKS upgrades are Pulumi's.
    id: 'upgrades',
    build: (app, spec) =>
      cloudProfile(spec.cloud.provider).inPlaceNodeUpgrades ? new UpgradesChart(app, 'upgrades', spec) : undefined,
  },
];

export function buildApp(spec: EnvironmentSpec): App {
  const app = new App({ outdir: 'cdk8s.out' });
  for (const chart of CHARTS) chart.build(app, spec);
  return app;
}
