import type { Construct } from 'constructs';
import { namespaceOf, poolFor, schedulingFor, type EnvironmentSpec } from '../../config';
import { flowPolicy, peer } from '../constructs/network-flow';
import { workloadPeer } from './workloads';
import { StatelessService } from '../constructs/stateless-service';
import { MONITORING_SELECTOR_LABELS, PRIORITY_PLATFORM_CRITICAL, PROMETHEUS_POD_LABELS } from '../names';
import { PlatformChart } from './platform-chart';
import { externalEgress } from './platform-flows';

/**
 * The environment's other stateless services (`services[]`), each through the same
 * construct as the API. A service is reachable from its own namespace, or, when it
 * lists `callers`, from exactly those workloads (with the matching egress policy in
 * each caller's namespace); its declared `egress` opens destinations outside the cluster.
 */
export class ServicesChart extends PlatformChart {
  readonly services: StatelessService[] = [];

  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'services' });
    const monitoring = spec.addons.kubePrometheusStack.enabled;
    for (const s of spec.services) {
      const ns = namespaceOf(spec, s.namespace);
      // An explicit pool, else the GPU pool for GPU services, else the API pool.
      const pool = poolFor(spec, s.pool, s.gpus > 0 ? ['gpu'] : []);
      const callers = s.callers.map((c) => ({ name: c, workload: workloadPeer(spec, c) }));
      this.services.push(
        new StatelessService(this, `${ns.name}-${s.name}`, {
          name: s.name,
          kind: s.kind,
          ...(s.probeCommand ? { probeCommand: s.probeCommand } : {}),
          gpus: s.gpus,
          ...(s.keda ? { keda: s.keda } : {}),
          namespace: ns.name,
          image: s.image,
          port: s.port,
          ...(s.metricsPort !== undefined ? { metricsPort: s.metricsPort } : {}),
          runAsUser: s.runAsUser,
          replicas: s.replicas,
          resources: s.resources,
          autoscaling: s.autoscaling,
          pdbMinAvailable: s.pdbMinAvailable,
          probes: s.probes,
          scratchPaths: s.scratchPaths,
          env: s.env,
          secrets: s.secrets,
          scheduling: schedulingFor(pool),
          // Platform services share the API's class; tenant services keep the default unless they name one.
          ...(s.priorityClass
            ? { priorityClassName: s.priorityClass }
            : ns.kind === 'platform'
              ? { priorityClassName: PRIORITY_PLATFORM_CRITICAL }
              : {}),
          verticalPodAutoscaler: spec.addons.vpa.enabled,
          ...(monitoring ? { serviceMonitor: { labels: MONITORING_SELECTOR_LABELS } } : {}),
          mesh: ns.mesh && spec.addons.istio.enabled,
          ingressFrom:
            callers.length > 0
              ? callers.map((c) => peer.pods(c.workload.namespace, c.workload.podLabels))
              : [peer.sameNamespace()],
          ...(monitoring ? { prometheus: peer.pods(namespaceOf(spec, 'monitoring').name, PROMETHEUS_POD_LABELS) } : {}),
          egress: s.egress.map(externalEgress),
        }),
      );
      if (s.kind === 'http') {
        for (const caller of callers) {
          flowPolicy(this, `${ns.name}-${s.name}-from-${caller.name}`, caller.workload.namespace, {
            name: `${caller.name}-to-${s.name}`,
            description: `${caller.name} calls ${s.name} (services[].callers)`,
            direction: 'egress',
            pods: caller.workload.podLabels,
            peers: [peer.pods(ns.name, { 'app.kubernetes.io/name': s.name })],
            ports: [{ port: s.port }],
          });
        }
      }
    }
  }
}
