import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PodMonitor } from '../../imports/prometheus-podmonitors-monitoring.coreos.com';
import { AGENT_POD_LABEL, AGENT_TIER_LABEL } from '../../config';

export interface AgentPodMonitorProps {
  /** The agents namespace (the PodMonitor lives there and selects pods only there). */
  readonly namespace: string;
  /** Name of the container port serving /metrics. */
  readonly portName: string;
  /** Name of the PodMonitor. @default 'agent-pods' */
  readonly name?: string;
  /** Scrape interval (a Prometheus duration). @default '30s' */
  readonly interval?: string;
  /** Metrics path. @default '/metrics' */
  readonly path?: string;
}

/**
 * Scrapes every agent pod (sessions and warm pool) on its metrics port. Session pods have no
 * Service of their own to hang a ServiceMonitor on, hence a PodMonitor. The tier label is copied
 * to the series so dashboards can break load down per tier.
 */
export class AgentPodMonitor extends Construct {
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: AgentPodMonitorProps) {
    super(scope, id);
    if (!/^\d+(ms|s|m)$/.test(props.interval ?? '30s')) {
      throw new Error(`${this.node.path}: interval (${props.interval}) must be a Prometheus duration such as 30s`);
    }
    this.resource = new PodMonitor(this, 'Resource', {
      metadata: { name: props.name ?? 'agent-pods', namespace: props.namespace },
      spec: {
        selector: { matchLabels: { [AGENT_POD_LABEL]: 'true' } },
        namespaceSelector: { matchNames: [props.namespace] },
        podTargetLabels: [AGENT_TIER_LABEL],
        podMetricsEndpoints: [
          { port: props.portName, path: props.path ?? '/metrics', interval: props.interval ?? '30s' },
        ],
      },
    });
  }
}
