import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { AGENT_POD_LABEL, covers, NON_PUBLIC_IPV4_RANGES } from '../../config';
import { networkPolicyPeer, peer, type NetworkPeer } from './network-flow';

/** A peer and the one TCP port of it a rule opens. */
export interface PeerPort {
  /** Who: built with the `peer` factories (usually `peer.pods(namespace, labels)`). */
  readonly peer: NetworkPeer;
  /** The TCP port on the destination pods. */
  readonly port: number;
}

export interface AgentNetworkPoliciesProps {
  /** The agents namespace. */
  readonly namespace: string;
  /** The orchestrator (API) pods (`peer.pods(...)`): the only ingress to the agent port, and an egress target. */
  readonly api: NetworkPeer;
  /** Port agents listen on (what the API calls). */
  readonly agentPort: number;
  /** Port of the API agents call back. */
  readonly apiPort: number;
  /**
   * Where agents' calls to the API go when not straight to the API pods: the mesh ingress
   * gateway, when the API is meshed under STRICT mTLS (agents are not in the mesh, so only the
   * gateway, which the API's AuthorizationPolicy admits, can carry their calls).
   * @default - the API pods on apiPort
   */
  readonly apiEgress?: PeerPort;
  /** Prometheus pods that scrape the agents' metrics port. @default - no scrape ingress */
  readonly prometheus?: PeerPort;
  /** Vault servers the vault-agent init container logs in to. @default - no Vault egress */
  readonly vault?: PeerPort;
  /** TCP ports agents may reach on the internet. */
  readonly egressPorts: readonly number[];
  /** UDP ports to the internet (e.g. 443 for WebRTC/QUIC media). @default [] */
  readonly egressUdpPorts?: readonly number[];
  /** Cluster network (node/VPC) range, excluded from internet egress too. */
  readonly networkCidr: string;
  /** The cluster DNS, queried on UDP and TCP 53. @default - `peer.dns()`: CoreDNS in kube-system (k8s-app: kube-dns) */
  readonly dns?: NetworkPeer;
}

/**
 * The `except` list of internet egress: the non-public ranges (config/admission.ts) plus
 * the cluster network if none of them already holds it.
 */
export function egressExceptions(networkCidr: string): string[] {
  const except: string[] = [...NON_PUBLIC_IPV4_RANGES];
  if (!except.some((range) => covers(range, networkCidr))) except.push(networkCidr);
  return except;
}

const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

/**
 * Isolation of agent pods (sessions and warm pool alike; they share AGENT_POD_LABEL). Selecting
 * them for Ingress and Egress makes them deny-by-default on their own, whatever else exists in
 * the namespace; the rules below are the only flows:
 * - ingress: the API pods on the agent port; Prometheus on the metrics port. Nothing from other
 *   agents, so agents cannot talk to each other.
 * - egress: DNS, the API (directly, or through the mesh gateway when the API is meshed), Vault (secret injection), and TCP egressPorts (plus UDP egressUdpPorts) to the internet except
 *   private, CGNAT and link-local ranges (169.254.169.254, the cloud metadata service) and the
 *   cluster network.
 */
export class AgentNetworkPolicies extends Construct {
  readonly ingress: ApiObject;
  readonly egress: ApiObject;

  constructor(scope: Construct, id: string, props: AgentNetworkPoliciesProps) {
    super(scope, id);
    if (props.egressPorts.length === 0) {
      throw new Error(`${this.node.path}: egressPorts is empty; agents need at least one internet port (usually 443)`);
    }
    props.egressPorts.forEach((port, i) => {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`${this.node.path}: egressPorts[${i}] (${port}) must be a TCP port between 1 and 65535`);
      }
    });
    const podSelector = { matchLabels: { [AGENT_POD_LABEL]: 'true' } };

    const api = networkPolicyPeer(this, 'api', props.api);
    const ingress: k8s.NetworkPolicyIngressRule[] = [{ from: [api], ports: [tcp(props.agentPort)] }];
    if (props.prometheus) {
      ingress.push({
        from: [networkPolicyPeer(this, 'prometheus.peer', props.prometheus.peer)],
        ports: [tcp(props.prometheus.port)],
      });
    }
    this.ingress = new k8s.KubeNetworkPolicy(this, 'Ingress', {
      metadata: { name: 'agent-ingress', namespace: props.namespace },
      spec: { podSelector, policyTypes: ['Ingress'], ingress },
    });

    const dns = props.dns ?? peer.dns();
    const egress: k8s.NetworkPolicyEgressRule[] = [
      {
        to: [networkPolicyPeer(this, 'dns', dns)],
        ports: [
          { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
          { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
        ],
      },
      props.apiEgress
        ? {
            to: [networkPolicyPeer(this, 'apiEgress.peer', props.apiEgress.peer)],
            ports: [tcp(props.apiEgress.port)],
          }
        : { to: [api], ports: [tcp(props.apiPort)] },
    ];
    if (props.vault) {
      egress.push({
        to: [networkPolicyPeer(this, 'vault.peer', props.vault.peer)],
        ports: [tcp(props.vault.port)],
      });
    }
    egress.push({
      to: [networkPolicyPeer(this, 'networkCidr', peer.cidr('0.0.0.0/0', egressExceptions(props.networkCidr)))],
      ports: [
        ...[...new Set(props.egressPorts)].sort((a, b) => a - b).map(tcp),
        ...[...new Set(props.egressUdpPorts ?? [])]
          .sort((a, b) => a - b)
          .map((port): k8s.NetworkPolicyPort => ({ protocol: 'UDP', port: k8s.IntOrString.fromNumber(port) })),
      ],
    });
    this.egress = new k8s.KubeNetworkPolicy(this, 'Egress', {
      metadata: { name: 'agent-egress', namespace: props.namespace },
      spec: { podSelector, policyTypes: ['Egress'], egress },
    });
  }
}
