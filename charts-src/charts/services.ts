import type { Construct } from 'constructs';
import { namespaceOf, schedulingFor, type EnvironmentSpec } from '../../config';
import { StatelessService } from '../constructs/stateless-service';
import { MONITORING_SELECTOR_LABELS, PRIORITY_PLATFORM_CRITICAL, PROMETHEUS_POD_LABELS } from '../names';
import { PlatformChart } from './platform-chart';
import { externalEgress } from './platform-flows';

/**
 * The environment's other stateless services (`services[]`), each through the same
 * construct as the API. A service is reachable from its own namespace only; its
 * declared `egress` opens destinations outside the cluster.
 */
export class ServicesChart extends PlatformChart {
  readonly services: StatelessService[] = [];

  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'services' });
    const monitoring = spec.addons.kubePrometheusStack.enabled;
    for (const s of spec.services) {
      const ns = namespaceOf(spec, s.namespace);
      const pool = s.pool ? spec.nodePools.find((p) => p.name === s.pool)! : spec.placement.api;
      this.services.push(
        new StatelessService(this, `${ns.name}-${s.name}`, {
          name: s.name,
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
          // Platform services share the API's class; tenant services keep the default priority.
          ...(ns.kind === 'platform' ? { priorityClassName: PRIORITY_PLATFORM_CRITICAL } : {}),
          verticalPodAutoscaler: spec.addons.vpa.enabled,
          ...(monitoring ? { serviceMonitor: { labels: MONITORING_SELECTOR_LABELS } } : {}),
          mesh: ns.mesh && spec.addons.istio.enabled,
          ingressFrom: [{}],
          ...(monitoring
            ? { prometheus: { namespace: namespaceOf(spec, 'monitoring').name, pods: PROMETHEUS_POD_LABELS } }
            : {}),
          egress: s.egress.map(externalEgress),
        }),
      );
    }
  }
}
