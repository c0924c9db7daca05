/**
 * The network flows of the edge add-ons (cert-manager, external-dns, Fluent Bit,
 * falcosidekick, Alertmanager's e-mail relay), added to the platform graph by
 * `platformNetwork` (platform-flows.ts) so that both ends of each cross-namespace
 * flow are derived in one place. Ports and pod labels: config/edge.ts.
 */
import {
  EDGE_ADDON_PORTS,
  acmeEnabled,
  FALCOSIDEKICK_POD_LABELS,
  certManagerEnabled,
  cloudProfile,
  externalDnsEnabled,
  falcoGvisorEnabled,
  falcosidekickEnabled,
  fluentBitEnabled,
  namespaceOf,
  type EnvironmentSpec,
  type LogSinkSpec,
} from '../../config';
import { INTERNET, peer, tcp, type NetworkFlow } from '../constructs/network-flow';
import { ALERTMANAGER_POD_LABELS, INGRESS_GATEWAY_LABELS } from '../names';
import { ACME_SOLVER_LABELS, ACME_SOLVER_PORT, acmeChallenge } from './certificates';

export interface FlowBuilders {
  /** Adds flows to a platform namespace, by key. */
  readonly add: (key: string, ...flows: NetworkFlow[]) => void;
  readonly kubeApi: (description: string) => NetworkFlow;
  readonly webhooks: (description: string, ...ports: number[]) => NetworkFlow;
}

/** Metrics ports Prometheus scrapes in the edge add-ons' namespaces (beyond `metrics`). */
export function edgeScrapePorts(key: string): number[] {
  switch (key) {
    case 'cert-manager':
      return [EDGE_ADDON_PORTS.certManager.metrics];
    case 'external-dns':
      return [EDGE_ADDON_PORTS.externalDns.metrics];
    case 'logging':
      return [EDGE_ADDON_PORTS.fluentBit.metrics];
    default:
      return [];
  }
}

/** Port of the log sink: the URL's, or the sink's default. */
export function logSinkPort(sink: LogSinkSpec): number {
  switch (sink.type) {
    case 'loki':
      return Number(new URL(sink.url).port || 443);
    case 'elasticsearch':
      return sink.port;
    case 's3':
      return Number((sink.endpoint && new URL(sink.endpoint).port) || 443);
  }
}

const SOLVER_PODS = "selects cert-manager's HTTP-01 solver pods, created at issuance (certificates.yaml), not in dist/";
const GATEWAY_PODS = 'selects the Istio ingress gateway pods (istio/gateway Helm release, infra/addons), not in dist/';
const SIDEKICK_PODS = 'selects the falcosidekick pods (Helm release, infra/addons), not in dist/';
const ALERTMANAGER_PODS =
  'selects the Alertmanager pods of the kube-prometheus-stack add-on (Helm release, infra/addons), not in dist/';

export function addEdgeFlows(spec: EnvironmentSpec, b: FlowBuilders): void {
  const ns = (key: string) => namespaceOf(spec, key).name;

  if (certManagerEnabled(spec)) {
    const http01 = acmeEnabled(spec) && acmeChallenge(spec) === 'http01';
    b.add(
      'cert-manager',
      b.webhooks(
        'the API server calls the cert-manager webhook (Service 443 → 10250)',
        EDGE_ADDON_PORTS.certManager.webhook,
      ),
      b.kubeApi('the controller, CA injector and webhook watch certificates and write Secrets'),
    );
    if (acmeEnabled(spec)) {
      b.add('cert-manager', {
        name: 'allow-acme',
        description:
          'the controller talks to the ACME server (and Route 53 for DNS-01) on 443 and checks HTTP-01 answers on 80',
        direction: 'egress',
        peers: [INTERNET],
        ports: tcp(80, 443),
      });
    }
    if (http01) {
      const ingress = ns('ingress');
      b.add('cert-manager', {
        name: 'allow-http01-self-check',
        description:
          'the HTTP-01 self-check reaches the gateway directly when kube-proxy short-circuits its load balancer address',
        direction: 'egress',
        peers: [peer.pods(ingress, INGRESS_GATEWAY_LABELS)],
        ports: tcp(80),
      });
      b.add(
        'ingress',
        {
          name: 'allow-gateway-to-acme-solver',
          description: "the gateway routes the API host's ACME challenge path to cert-manager's solver pods",
          direction: 'egress',
          pods: INGRESS_GATEWAY_LABELS,
          selectsAddonPods: GATEWAY_PODS,
          peers: [peer.pods(ingress, ACME_SOLVER_LABELS)],
          ports: tcp(ACME_SOLVER_PORT),
        },
        {
          name: 'allow-acme-solver-from-gateway',
          description: 'the solver pods answer the challenge for the gateway only',
          direction: 'ingress',
          pods: ACME_SOLVER_LABELS,
          selectsAddonPods: SOLVER_PODS,
          peers: [peer.pods(ingress, INGRESS_GATEWAY_LABELS)],
          ports: tcp(ACME_SOLVER_PORT),
        },
      );
    }
  }

  if (externalDnsEnabled(spec)) {
    b.add(
      'external-dns',
      b.kubeApi('external-dns reads the Gateways and the gateway Service of the ingress namespace'),
      {
        name: 'allow-dns-provider',
        description: `external-dns changes records through the ${spec.dns!.provider} API (https)`,
        direction: 'egress',
        peers: [INTERNET],
        ports: tcp(443),
      },
    );
  }

  if (fluentBitEnabled(spec)) {
    b.add('logging', b.kubeApi('Fluent Bit enriches records with pod metadata'), {
      name: 'allow-log-sink',
      description: `Fluent Bit ships logs to the ${spec.logs!.type} sink`,
      direction: 'egress',
      peers: [INTERNET],
      ports: tcp(logSinkPort(spec.logs!)),
    });
  }

  if (falcosidekickEnabled(spec)) {
    const monitoring = ns('monitoring');
    b.add('falco', {
      name: 'allow-to-falcosidekick',
      description: 'Falco posts its events to falcosidekick',
      direction: 'egress',
      peers: [peer.pods(monitoring, FALCOSIDEKICK_POD_LABELS)],
      ports: tcp(EDGE_ADDON_PORTS.falcosidekick.http),
    });
    // The gVisor-driver release runs with hostNetwork (falco chart 7.0.1,
    // templates/pod-template.tpl), so its posts come from its node's host address, which a
    // namespace peer never matches: the cloud says which addresses those are.
    const gvisorNodes = falcoGvisorEnabled(spec)
      ? cloudProfile(spec.cloud.provider)
          .hostTrafficSources(spec.cloud)
          .map((cidr) => peer.cidr(cidr))
      : [];
    b.add('monitoring', {
      name: 'allow-falco-events',
      description:
        'falcosidekick receives the events of Falco (and forwards them to Alertmanager in this namespace)' +
        (gvisorNodes.length > 0 ? '; the gVisor release posts from the host network of its nodes' : ''),
      direction: 'ingress',
      pods: FALCOSIDEKICK_POD_LABELS,
      selectsAddonPods: SIDEKICK_PODS,
      peers: [peer.namespace(ns('falco')), ...gvisorNodes],
      ports: tcp(EDGE_ADDON_PORTS.falcosidekick.http),
    });
  }

  const smtpPorts = [
    ...new Set(spec.alerting.receivers.flatMap((r) => (r.type === 'email' ? [Number(r.smarthost.split(':')[1])] : []))),
  ].filter((p) => p !== 443);
  if (spec.addons.kubePrometheusStack.enabled && smtpPorts.length > 0) {
    b.add('monitoring', {
      name: 'allow-alert-smtp',
      description: 'Alertmanager sends e-mail through the SMTP relays of the e-mail receivers',
      direction: 'egress',
      pods: ALERTMANAGER_POD_LABELS,
      selectsAddonPods: ALERTMANAGER_PODS,
      peers: [INTERNET],
      ports: tcp(...smtpPorts.sort((a, b) => a - b)),
    });
  }
}
