import type { Construct } from 'constructs';
import {
  bytes,
  cpuMillis,
  formatBytes,
  formatCpu,
  namespaceOf,
  schedulingFor,
  type EnvironmentSpec,
  type NamespaceSpec,
} from '../../config';
import { ConstructInputError } from '../constructs/construct-input';
import { StatelessService } from '../constructs/stateless-service';
import { API_NAME, API_SERVICE_ACCOUNT, MONITORING_SELECTOR_LABELS, PRIORITY_PLATFORM_CRITICAL } from '../names';
import { PlatformChart } from './platform-chart';
import { platformNetwork, type PlatformNetwork } from './platform-flows';

/**
 * The control-plane API (seed 000): the orchestrator that creates agent pods. Placed
 * on the API pool, spread over zones, autoscaled 3–20 (prod 50) by CPU, memory and
 * requests per second, with its own ServiceAccount (which the agent runtime binds
 * to pod/service/secret rights in the agents namespace).
 */
export class ControlPlaneChart extends PlatformChart {
  readonly api: StatelessService;

  constructor(scope: Construct, id: string, spec: EnvironmentSpec, network: PlatformNetwork = platformNetwork(spec)) {
    super(scope, id, { spec, component: 'control-plane' });
    const api = spec.controlPlaneApi;
    const ns = namespaceOf(spec, 'control-plane');
    checkQuotaAdmitsApi(this.node.path, spec, ns);
    this.api = new StatelessService(this, API_NAME, {
      name: API_NAME,
      namespace: ns.name,
      image: api.image,
      port: api.port,
      ...(api.metricsPort !== undefined ? { metricsPort: api.metricsPort } : {}),
      runAsUser: api.runAsUser,
      replicas: api.replicas,
      resources: api.resources,
      autoscaling: api.autoscaling,
      pdbMinAvailable: api.pdbMinAvailable,
      probes: api.probes,
      scratchPaths: api.scratchPaths,
      env: api.env,
      secrets: api.secrets,
      scheduling: schedulingFor(spec.placement.api),
      priorityClassName: PRIORITY_PLATFORM_CRITICAL,
      serviceAccountName: API_SERVICE_ACCOUNT,
      // The orchestrator creates agent pods, services and secrets: it needs its API token.
      // Without agents the API never calls the Kubernetes API, and gets no token.
      automountServiceAccountToken: spec.agents !== undefined,
      verticalPodAutoscaler: spec.addons.vpa.enabled,
      ...(spec.addons.kubePrometheusStack.enabled ? { serviceMonitor: { labels: MONITORING_SELECTOR_LABELS } } : {}),
      mesh: ns.mesh && spec.addons.istio.enabled,
      ingressFrom: network.api.ingressFrom,
      ...(network.api.prometheus ? { prometheus: network.api.prometheus } : {}),
      egress: network.api.egress,
    });
  }
}

/**
 * The control-plane quota must admit the API at its autoscaler maximum plus the one
 * extra pod a rolling update surges; otherwise the HPA or a deploy stalls on quota.
 * (Sidecars the mesh injects are charged on top: size the quota with headroom.)
 */
export function checkQuotaAdmitsApi(
  path: string,
  spec: Pick<EnvironmentSpec, 'controlPlaneApi'>,
  ns: Pick<NamespaceSpec, 'quota'>,
): void {
  const api = spec.controlPlaneApi;
  const pods = api.replicas.max + 1;
  const checks = [
    ['pods', pods, ns.quota.pods, String, `${api.replicas.max} replicas.max + 1 surge`],
    [
      'requestsCpu',
      pods * cpuMillis(api.resources.requests.cpu),
      cpuMillis(ns.quota.requestsCpu),
      formatCpu,
      api.resources.requests.cpu,
    ],
    [
      'limitsCpu',
      pods * cpuMillis(api.resources.limits.cpu),
      cpuMillis(ns.quota.limitsCpu),
      formatCpu,
      api.resources.limits.cpu,
    ],
    [
      'requestsMemory',
      pods * bytes(api.resources.requests.memory),
      bytes(ns.quota.requestsMemory),
      formatBytes,
      api.resources.requests.memory,
    ],
    [
      'limitsMemory',
      pods * bytes(api.resources.limits.memory),
      bytes(ns.quota.limitsMemory),
      formatBytes,
      api.resources.limits.memory,
    ],
  ] as const;
  for (const [field, needed, hard, format, per] of checks) {
    if (needed > hard) {
      const arithmetic = field === 'pods' ? per : `${pods} pods × ${per}`;
      throw new ConstructInputError(
        path,
        `namespaces["control-plane"].quota.${field}`,
        field === 'pods' ? hard : format(hard),
        `must admit the API at its maximum: ${arithmetic} = ${format(needed)}`,
      );
    }
  }
}
