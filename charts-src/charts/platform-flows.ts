/**
 * The platform's network graph, from the environment: which flows each namespace
 * opens beyond default-deny and DNS, and the flows of the control-plane API. Both
 * sides of every cross-namespace flow are derived here (an egress in one namespace
 * and the matching ingress in the other), so they cannot drift apart.
 *
 * Ports are the pod (container) ports: NetworkPolicy is evaluated after a Service
 * translated its port, so a webhook Service on 443 is admitted on its targetPort.
 * Pod labels and ports of add-ons are those of the pinned upstream charts.
 *
 * "The Kubernetes API server" is the node network (`cloud.networkCidr`): on k3s
 * the API server runs on the server nodes (6443; the in-cluster `kubernetes`
 * Service is 443 → 6443), on EKS its ENIs sit in the VPC (443). Webhook calls
 * from the API server to add-on pods come from the same range.
 */
import { AGENT_POD_LABEL, cloudProfile, namespaceOf, type EnvironmentSpec, type NamespaceSpec } from '../../config';
import { INTERNET, peer, tcp, type NetworkFlow, type NetworkPeer, type NetworkPort } from '../constructs/network-flow';
import type { ServiceEgress } from '../constructs/stateless-service';
import { addEdgeFlows, edgeScrapePorts } from './edge-flows';
import { VAULT_SNAPSHOT_LABELS } from '../constructs/vault-raft-snapshot';
import {
  ALERTMANAGER_POD_LABELS,
  API_POD_LABELS,
  INGRESS_GATEWAY_LABELS,
  METRICS_PORT_NAME,
  PROMETHEUS_POD_LABELS,
  VAULT_PORT,
} from '../names';

/** Ports of the add-ons' pods (pinned upstream charts, config/versions.ts). */
export const ADDON_PORTS = {
  /** istiod: plaintext and mTLS xDS (+ CA), sidecar-injection / validation webhook, monitoring. */
  istiod: { xds: 15010, xdsTls: 15012, webhook: 15017, monitoring: 15014 },
  /** Sidecars and the gateway: pilot-agent merged metrics, Envoy stats. */
  envoy: { mergedMetrics: 15020, stats: 15090, health: 15021 },
  /**
   * istio/gateway chart: the pods listen on 80 and 443 themselves (Service targetPort 80/443,
   * allowed by the `net.ipv4.ip_unprivileged_port_start` sysctl), status on 15021.
   */
  gateway: { http: 80, https: 443 },
  /** KEDA: metrics API server (v1beta1.external.metrics.k8s.io), admission webhooks, Prometheus. */
  keda: { metricsApiServer: 6443, webhooks: 9443, metrics: 8080 },
  /** Vault: API (also /v1/sys/metrics), Raft cluster port, agent-injector webhook. */
  vault: { api: VAULT_PORT, cluster: 8201, injector: 8080 },
  /** kube-prometheus-stack: prometheus-adapter (custom.metrics API), operator admission webhook. */
  monitoring: { adapter: 6443, operatorWebhook: 10250 },
  /** Node ports Prometheus scrapes: kubelet/cAdvisor and node-exporter (hostNetwork). */
  node: { kubelet: 10250, nodeExporter: 9100 },
  /** VPA recommender, updater and admission-controller metrics; the admission webhook. */
  vpa: { recommender: 8942, updater: 8943, admission: 8944, webhook: 8000 },
  falco: { metrics: 8765 },
  /** Velero server and node agent metrics (velero chart 12.1.0, `metrics.podAnnotations`). */
  velero: { metrics: 8085 },
  /** The object storage's S3 API (HTTPS). */
  objectStorage: 443,
  /** PostgreSQL: KEDA's warm-pool trigger queries the agents database. */
  postgres: 5432,
} as const;

/** Why a policy selects pods that are not in dist/ (a waiver reason the gate lists). */
const ADDON_PODS = {
  gateway: 'selects the Istio ingress gateway pods (istio/gateway Helm release, infra/addons), not in dist/',
  prometheus:
    'selects the Prometheus pods of the kube-prometheus-stack add-on (Helm release, infra/addons), not in dist/',
} as const;

/**
 * Where the EKS Pod Identity agent serves credentials on every node (IPv4; its
 * DaemonSet listens on the host network: docs.aws.amazon.com/eks "pod-id-agent-setup").
 */
export const EKS_POD_IDENTITY_AGENT = '169.254.170.23/32';

/** Kubernetes API server ports: 6443 on k3s servers, 443 on EKS and for the `kubernetes` Service. */
export const KUBE_API_PORTS: readonly NetworkPort[] = tcp(6443, 443);

export function kubeApiServer(spec: Pick<EnvironmentSpec, 'cloud'>): NetworkPeer {
  return peer.cidr(spec.cloud.networkCidr);
}

const hasNamespace = (spec: Pick<EnvironmentSpec, 'namespaces'>, key: string) =>
  spec.namespaces.some((n) => n.key === key);
const nsName = (spec: EnvironmentSpec, key: string) => namespaceOf(spec, key).name;

function prometheusPeer(spec: EnvironmentSpec): NetworkPeer | undefined {
  if (!spec.addons.kubePrometheusStack.enabled) return undefined;
  return peer.pods(nsName(spec, 'monitoring'), PROMETHEUS_POD_LABELS);
}

/** The pod port of the API's HTTP and metrics endpoints. */
export function apiPorts(spec: Pick<EnvironmentSpec, 'controlPlaneApi'>): { port: number; metricsPort: number } {
  const api = spec.controlPlaneApi;
  return { port: api.port, metricsPort: api.metricsPort ?? api.port };
}

/** Ports Prometheus scrapes in a namespace, beyond what the namespace's services open themselves. */
function scrapePorts(ns: Pick<NamespaceSpec, 'key' | 'kind' | 'mesh'>): NetworkPort[] {
  const ports: (number | string)[] = [METRICS_PORT_NAME];
  if (ns.mesh || (ns.kind === 'platform' && ns.key === 'ingress')) {
    ports.push(ADDON_PORTS.envoy.mergedMetrics, ADDON_PORTS.envoy.stats);
  }
  if (ns.kind === 'tenant') return tcp(...ports);
  switch (ns.key) {
    case 'vault':
      ports.push(ADDON_PORTS.vault.api);
      break;
    case 'istio-system':
      ports.push(ADDON_PORTS.istiod.monitoring);
      break;
    case 'keda':
      ports.push(ADDON_PORTS.keda.metrics);
      break;
    case 'vpa':
      ports.push(ADDON_PORTS.vpa.recommender, ADDON_PORTS.vpa.updater, ADDON_PORTS.vpa.admission);
      break;
    case 'falco':
      ports.push(ADDON_PORTS.falco.metrics);
      break;
    case 'backup':
      ports.push(ADDON_PORTS.velero.metrics);
      break;
  }
  ports.push(...edgeScrapePorts(ns.key));
  return tcp(...ports);
}

export interface PlatformNetwork {
  /** Namespace name → the flows its guardrails open (by name: a tenant may share a platform key). */
  readonly namespaces: ReadonlyMap<string, readonly NetworkFlow[]>;
  /** Names of namespaces that allow all traffic between their own pods (add-ons that talk among themselves). */
  readonly sameNamespace: ReadonlySet<string>;
  /** The API's own policies. */
  readonly api: {
    readonly ingressFrom: readonly NetworkPeer[];
    readonly prometheus?: NetworkPeer;
    readonly egress: readonly ServiceEgress[];
  };
}

const cache = new WeakMap<EnvironmentSpec, PlatformNetwork>();

/** Every platform flow of an environment, computed once per spec (specs are read-only). */
export function platformNetwork(spec: EnvironmentSpec): PlatformNetwork {
  let network = cache.get(spec);
  if (!network) {
    network = computeNetwork(spec);
    cache.set(spec, network);
  }
  return network;
}

function computeNetwork(spec: EnvironmentSpec): PlatformNetwork {
  const apiServer = kubeApiServer(spec);
  const prometheus = prometheusPeer(spec);
  const istio = spec.addons.istio.enabled;
  const cp = nsName(spec, 'control-plane');
  const { port: apiPort, metricsPort: apiMetricsPort } = apiPorts(spec);
  const agentsNs = spec.agents && hasNamespace(spec, 'agents') ? nsName(spec, 'agents') : undefined;
  const vaultNs = spec.addons.vault.enabled ? nsName(spec, 'vault') : undefined;
  const ingressNs = istio ? nsName(spec, 'ingress') : undefined;
  const cpMeshed = namespaceOf(spec, 'control-plane').mesh;

  const flows = new Map<string, NetworkFlow[]>();
  /** Adds flows to a namespace, by name. */
  const addTo = (name: string, ...f: NetworkFlow[]) => {
    const list = flows.get(name) ?? [];
    list.push(...f);
    flows.set(name, list);
  };
  /** Adds flows to a platform namespace, by key. */
  const add = (key: string, ...f: NetworkFlow[]) => addTo(nsName(spec, key), ...f);
  const sameNamespace = new Set<string>();
  const openInternally = (key: string) => sameNamespace.add(nsName(spec, key));
  const kubeApi = (description: string): NetworkFlow => ({
    name: 'allow-kube-apiserver',
    description,
    direction: 'egress',
    peers: [apiServer],
    ports: KUBE_API_PORTS,
  });
  const webhooks = (description: string, ...ports: number[]): NetworkFlow => ({
    name: 'allow-from-kube-apiserver',
    description,
    direction: 'ingress',
    peers: [apiServer],
    ports: tcp(...ports),
  });

  // Every namespace: Prometheus scrapes, meshed pods reach istiod.
  const scraped = new Map<string, NetworkPort>();
  const remember = (ports: readonly NetworkPort[]) => ports.forEach((p) => scraped.set(String(p.port), p));
  for (const ns of spec.namespaces) {
    // Agents: the agent runtime writes their policies (ingress from the API only).
    // node-monitoring: node-exporter uses hostNetwork, which NetworkPolicy does not govern.
    const platform = ns.kind === 'platform';
    if (prometheus && !(platform && ['agents', 'monitoring', 'node-monitoring'].includes(ns.key))) {
      const ports = scrapePorts(ns);
      remember(ports);
      addTo(ns.name, {
        name: 'allow-prometheus-scrape',
        description: 'Prometheus scrapes the metrics ports of this namespace',
        direction: 'ingress',
        peers: [prometheus],
        ports,
      });
    }
    if (istio && (ns.mesh || (platform && ns.key === 'ingress'))) {
      addTo(ns.name, {
        name: 'allow-istiod',
        description: 'sidecars (and the gateway) fetch configuration and certificates from istiod',
        direction: 'egress',
        peers: [peer.namespace(nsName(spec, 'istio-system'))],
        ports: tcp(ADDON_PORTS.istiod.xds, ADDON_PORTS.istiod.xdsTls),
      });
    }
  }

  // The ingress gateway: public traffic in, the API out.
  if (ingressNs) {
    add('ingress', {
      name: 'allow-public',
      description:
        'clients on the internet and in the cluster reach the gateway on 80 and 443; the load balancer checks 15021',
      direction: 'ingress',
      pods: INGRESS_GATEWAY_LABELS,
      selectsAddonPods: ADDON_PODS.gateway,
      peers: [peer.cidr('0.0.0.0/0'), peer.allNamespaces()],
      ports: tcp(ADDON_PORTS.gateway.http, ADDON_PORTS.gateway.https, ADDON_PORTS.envoy.health),
      waivers: {
        'netpol.ingress-open':
          'the ingress gateway is the public entry point: the internet and every namespace reach it, on the HTTP, HTTPS and health ports only',
      },
    });
    add('ingress', {
      name: 'allow-to-api',
      description: 'the gateway routes the API host to the control-plane API',
      direction: 'egress',
      pods: INGRESS_GATEWAY_LABELS,
      selectsAddonPods: ADDON_PODS.gateway,
      peers: [peer.pods(cp, API_POD_LABELS)],
      ports: tcp(apiPort),
    });
  }

  // istiod: xDS from meshed namespaces, webhooks from the API server.
  if (istio) {
    add(
      'istio-system',
      {
        name: 'allow-xds',
        description: 'meshed namespaces and the ingress gateway reach istiod for xDS and certificates',
        direction: 'ingress',
        peers: [
          peer.namespacesLabelled({ 'istio-injection': 'enabled' }),
          ...(ingressNs ? [peer.namespace(ingressNs)] : []),
        ],
        ports: tcp(ADDON_PORTS.istiod.xds, ADDON_PORTS.istiod.xdsTls),
      },
      webhooks(
        'the API server calls the sidecar-injection and validation webhooks (Service 443 → 15017)',
        ADDON_PORTS.istiod.webhook,
      ),
      kubeApi('istiod watches services, endpoints and Istio resources'),
    );
  }

  // KEDA: metrics API server and webhooks behind the API server; scaler sources.
  if (spec.addons.keda.enabled) {
    openInternally('keda');
    add(
      'keda',
      webhooks(
        'the API server calls the external metrics API (Service 443 → 6443) and the admission webhooks (→ 9443)',
        ADDON_PORTS.keda.metricsApiServer,
        ADDON_PORTS.keda.webhooks,
      ),
      kubeApi('the operator manages HPAs and reads workloads; the metrics server serves metrics'),
    );
    if (spec.agents) {
      add('keda', {
        name: 'allow-scaler-postgres',
        description: 'the warm pool postgresql trigger queries the agents database (cloud metadata stays closed)',
        direction: 'egress',
        peers: [peer.cidr('0.0.0.0/0', ['169.254.0.0/16'])],
        ports: tcp(ADDON_PORTS.postgres),
      });
    }
  }

  // Vault: clients (API, agents) in, webhook from the API server, TokenReview out.
  if (vaultNs) {
    openInternally('vault');
    const clients: NetworkPeer[] = [peer.pods(cp, API_POD_LABELS)];
    if (agentsNs) clients.push(peer.podsWithLabel(agentsNs, AGENT_POD_LABEL));
    add(
      'vault',
      {
        name: 'allow-vault-clients',
        description: 'the API and the Vault agents of agent pods log in to Vault and read secrets',
        direction: 'ingress',
        peers: clients,
        ports: tcp(ADDON_PORTS.vault.api),
      },
      webhooks(
        'the API server calls the Vault agent injector webhook (Service 443 → 8080)',
        ADDON_PORTS.vault.injector,
      ),
      kubeApi('Vault verifies Kubernetes-auth logins with TokenReview and discovers Raft peers'),
    );
  }

  // VPA: the recommender reads metrics and writes status; the admission controller's webhook.
  if (spec.addons.vpa.enabled) {
    add('vpa', kubeApi('the recommender reads the metrics API and writes VPA status'));
    if (spec.addons.vpa.admissionController) {
      add(
        'vpa',
        webhooks('the API server calls the VPA admission controller (Service 443 → 8000)', ADDON_PORTS.vpa.webhook),
      );
    }
  }

  if (spec.addons.falco.enabled) {
    add('falco', kubeApi('Falco enriches events with Kubernetes metadata'));
  }

  // system-upgrade-controller watches Plans and nodes and creates the upgrade Jobs (which use
  // the host network, outside NetworkPolicy).
  if (hasNamespace(spec, 'system-upgrade')) {
    add('system-upgrade', kubeApi('system-upgrade-controller watches Plans and nodes and creates upgrade Jobs'));
  }

  // cert-manager, external-dns, Fluent Bit, falcosidekick, Alertmanager's SMTP relays.
  addEdgeFlows(spec, { add, kubeApi, webhooks });
  // Backups: Velero and the Vault snapshot job write to the object storage over HTTPS.
  if (spec.backup && hasNamespace(spec, 'backup')) {
    add(
      'backup',
      kubeApi('Velero reads the objects it backs up and keeps its backup, restore and repository objects'),
      {
        name: 'allow-object-storage',
        description: 'Velero and its node agents write backups to the object storage (S3 API over HTTPS)',
        direction: 'egress',
        peers: [INTERNET],
        ports: tcp(ADDON_PORTS.objectStorage),
      },
    );
  }
  // EKS Pod Identity: the backup writers get their credentials from the node's agent on a link-local address.
  const podIdentity: NetworkFlow | undefined =
    spec.backup && cloudProfile(spec.cloud.provider).backupCredentials === 'workload-identity'
      ? {
          name: 'allow-pod-identity-agent',
          description:
            'EKS Pod Identity: the AWS SDK fetches the role credentials from the node agent (169.254.170.23:80); the rest of link-local stays closed',
          direction: 'egress',
          peers: [peer.cidr(EKS_POD_IDENTITY_AGENT)],
          ports: tcp(80),
        }
      : undefined;
  if (podIdentity && hasNamespace(spec, 'backup')) add('backup', podIdentity);
  if (podIdentity && vaultNs) add('vault', { ...podIdentity, pods: VAULT_SNAPSHOT_LABELS });
  if (spec.backup && vaultNs) {
    add('vault', {
      name: 'allow-snapshot-upload',
      description: 'the Vault snapshot job uploads Raft snapshots to the object storage (S3 API over HTTPS)',
      direction: 'egress',
      pods: VAULT_SNAPSHOT_LABELS,
      peers: [INTERNET],
      ports: tcp(ADDON_PORTS.objectStorage),
    });
  }

  // The API: who may call it, what it calls.
  const apiIngress: NetworkPeer[] = [];
  if (ingressNs) apiIngress.push(peer.pods(ingressNs, INGRESS_GATEWAY_LABELS));
  // Under STRICT mTLS only meshed clients can reach a meshed API; agents (not meshed) then come in
  // through the gateway. Without the mesh they call the API directly.
  if (agentsNs && !(istio && cpMeshed)) apiIngress.push(peer.podsWithLabel(agentsNs, AGENT_POD_LABEL));
  // Only an orchestrator (an environment with agents) talks to the Kubernetes API.
  const apiEgress: ServiceEgress[] = spec.agents
    ? [
        {
          name: 'kube-apiserver',
          description: 'the orchestrator creates agent pods, services and secrets through the Kubernetes API',
          peers: [apiServer],
          ports: KUBE_API_PORTS,
        },
      ]
    : [];
  if (agentsNs && spec.agents) {
    apiEgress.push({
      name: 'agents',
      description: 'the orchestrator calls the agent pods it created',
      peers: [peer.podsWithLabel(agentsNs, AGENT_POD_LABEL)],
      ports: tcp(spec.agents.port),
    });
  }
  if (vaultNs) {
    apiEgress.push({
      name: 'vault',
      description: 'the API writes and reads session secrets in Vault',
      peers: [peer.namespace(vaultNs)],
      ports: tcp(ADDON_PORTS.vault.api),
    });
  }
  for (const e of spec.controlPlaneApi.egress) apiEgress.push(externalEgress(e));
  if (prometheus && agentsNs && spec.agents) {
    // The agent runtime opens agent pods to Prometheus on their metrics port (its own policies);
    // Prometheus must be allowed to leave for it. `metricsPort` is read defensively: it is an
    // optional field of the agents model.
    const agents = spec.agents as typeof spec.agents & { metricsPort?: number };
    remember(tcp(agents.metricsPort ?? agents.port));
  }
  if (prometheus) remember(tcp(apiMetricsPort, ...(cpMeshed && istio ? [ADDON_PORTS.envoy.mergedMetrics] : [])));
  for (const s of spec.services) {
    remember(
      tcp(s.metricsPort ?? s.port, ...(namespaceOf(spec, s.namespace).mesh ? [ADDON_PORTS.envoy.mergedMetrics] : [])),
    );
  }

  // Monitoring: Prometheus scrapes everything it was allowed to, the API server calls the adapter.
  if (prometheus) {
    openInternally('monitoring');
    const ports = [...scraped.values()].sort(
      (a, b) => portOrder(a) - portOrder(b) || String(a.port).localeCompare(String(b.port)),
    );
    add(
      'monitoring',
      {
        name: 'allow-scrape-pods',
        description: 'Prometheus scrapes the metrics ports every namespace opens to it',
        direction: 'egress',
        pods: PROMETHEUS_POD_LABELS,
        selectsAddonPods: ADDON_PODS.prometheus,
        peers: [peer.allNamespaces()],
        ports,
      },
      {
        name: 'allow-scrape-nodes',
        description: 'Prometheus scrapes kubelets/cAdvisor, node-exporter (hostNetwork) and the API server',
        direction: 'egress',
        pods: PROMETHEUS_POD_LABELS,
        selectsAddonPods: ADDON_PODS.prometheus,
        peers: [apiServer],
        ports: tcp(ADDON_PORTS.node.kubelet, ADDON_PORTS.node.nodeExporter),
      },
      {
        name: 'allow-alert-receivers',
        description: 'Alertmanager sends notifications to receivers on the internet',
        direction: 'egress',
        pods: ALERTMANAGER_POD_LABELS,
        selectsAddonPods:
          'selects the Alertmanager pods of the kube-prometheus-stack add-on (Helm release, infra/addons), not in dist/',
        peers: [INTERNET],
        ports: tcp(443),
      },
      webhooks(
        'the API server calls prometheus-adapter (custom metrics API, → 6443) and the operator webhook (→ 10250)',
        ADDON_PORTS.monitoring.adapter,
        ADDON_PORTS.monitoring.operatorWebhook,
      ),
      kubeApi('the operator, kube-state-metrics, the adapter and Prometheus service discovery watch the API'),
    );
  }

  return {
    namespaces: flows,
    sameNamespace,
    api: { ingressFrom: apiIngress, ...(prometheus ? { prometheus } : {}), egress: apiEgress },
  };
}

const portOrder = (p: NetworkPort) => (typeof p.port === 'number' ? p.port : 0);

/** A config `egress` entry as a service egress policy. */
export function externalEgress(e: {
  name: string;
  cidr: string;
  except: readonly string[];
  ports: readonly number[];
}): ServiceEgress {
  return {
    name: e.name,
    description: `egress to ${e.cidr} on ${e.ports.join(', ')} (from the environment)`,
    peers: [peer.cidr(e.cidr, e.except)],
    ports: tcp(...e.ports),
  };
}
