/**
 * Network flows as data, and the NetworkPolicy each renders to. A namespace starts
 * from default-deny (see NamespaceGuardrails); every flow that opens a path is one
 * NetworkPolicy with one direction, a name that says what it allows and an
 * annotation that says why, so a reviewer reads the graph policy by policy.
 */
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { IConstruct } from 'constructs';
import { NON_PUBLIC_IPV4_RANGES } from '../../config';
import { DNS_NAMESPACE, DNS_POD_LABELS } from '../names';
import { fail, requireCidr, requireDnsLabel, requirePort } from './construct-input';

type Labels = Readonly<Record<string, string>>;

/** Addresses outside the pod network: nodes, the Kubernetes API server, the internet. Build with `peer.cidr()`. */
export interface CidrPeer {
  readonly kind: 'cidr';
  /** An IPv4 CIDR. */
  readonly cidr: string;
  /** Ranges inside `cidr` that stay closed. */
  readonly except: readonly string[];
}

/**
 * Pods of some namespaces. Build with `peer.namespace()`, `peer.pods()`, `peer.podsWithLabel()`,
 * `peer.sameNamespace()`, `peer.allNamespaces()`, `peer.namespacesLabelled()` or `peer.dns()`.
 */
export interface PodsPeer {
  readonly kind: 'pods';
  /** One namespace by name, the namespaces carrying some labels, every namespace, or the flow's own. */
  readonly namespaces: { readonly name: string } | { readonly labels: Labels } | 'all' | 'own';
  /** Only pods carrying these labels. @default - no label required */
  readonly podLabels?: Labels;
  /** Only pods carrying these label keys, whatever the value. @default - no key required */
  readonly podLabelKeys?: readonly string[];
}

/** The other end of a flow: addresses, or pods. Build one with the `peer` factories. */
export type NetworkPeer = CidrPeer | PodsPeer;

export interface NetworkPort {
  /** Port number, or the name of a container port. */
  readonly port: number | string;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

export interface NetworkFlow {
  /** NetworkPolicy name, e.g. `allow-dns`. */
  readonly name: string;
  /** Why the platform needs this flow (the `agent-platform.io/flow` annotation). */
  readonly description: string;
  /** Ingress: `peers` reach the selected pods. Egress: the selected pods reach `peers`. */
  readonly direction: 'ingress' | 'egress';
  /** Pods of this namespace the flow applies to. @default - every pod of the namespace */
  readonly pods?: Readonly<Record<string, string>>;
  /** Pods of this namespace carrying these label keys. @default - no key required */
  readonly podsWithLabel?: readonly string[];
  /** Sources (ingress) or destinations (egress); at least one. */
  readonly peers: readonly NetworkPeer[];
  /** Ports on the destination pod. @default - every port (only for intra-namespace flows) */
  readonly ports?: readonly NetworkPort[];
  /**
   * The selected pods are not in the manifests (a Helm add-on runs them): why, as a
   * waiver of the gate's `ref.selector` rule on this policy.
   * @default - the pods are expected among the manifests
   */
  readonly selectsAddonPods?: string;
  /**
   * Gate rules this flow is a deliberate exception to (rule id → why), written as
   * waivers on the policy so every report lists them.
   * @default - none
   */
  readonly waivers?: Readonly<Record<string, string>>;
}

/** The policy gate's per-object waiver annotation: `<prefix><rule id>: <why>`. */
const WAIVER_PREFIX = 'policy.agent-platform.io/waive.';

/** The policy gate's per-object waiver of its "selector matches some pod template" rule. */
export const SELECTOR_WAIVER = `${WAIVER_PREFIX}ref.selector`;

/** Factories of network peers, one per kind of "other end". */
export const peer = {
  /** Addresses outside the pod network, except some ranges inside them. */
  cidr: (cidr: string, except: readonly string[] = []): CidrPeer => ({ kind: 'cidr', cidr, except }),
  /**
   * The public internet: everything but private, CGNAT, link-local (cloud metadata) and
   * loopback ranges, the IPv4 ranges the admission rule forbids (config/admission.ts).
   */
  internet: (): CidrPeer => peer.cidr('0.0.0.0/0', NON_PUBLIC_IPV4_RANGES),
  /** Every pod of one namespace. */
  namespace: (name: string): PodsPeer => ({ kind: 'pods', namespaces: { name } }),
  /** Every pod of every namespace. */
  allNamespaces: (): PodsPeer => ({ kind: 'pods', namespaces: 'all' }),
  /** Every pod of the namespaces carrying these labels. */
  namespacesLabelled: (labels: Labels): PodsPeer => ({ kind: 'pods', namespaces: { labels } }),
  /** The pods carrying these labels in one namespace. */
  pods: (namespace: string, labels: Labels): PodsPeer => ({
    kind: 'pods',
    namespaces: { name: namespace },
    podLabels: labels,
  }),
  /** The pods carrying these label keys (any value) in one namespace. */
  podsWithLabel: (namespace: string, ...keys: string[]): PodsPeer => ({
    kind: 'pods',
    namespaces: { name: namespace },
    podLabelKeys: keys,
  }),
  /** Pods of the flow's own namespace: those carrying `labels`, or every pod. */
  sameNamespace: (labels: Labels = {}): PodsPeer => ({ kind: 'pods', namespaces: 'own', podLabels: labels }),
  /** The cluster DNS: pods `k8s-app: kube-dns` in kube-system (CoreDNS on k3s and EKS). */
  dns: (): PodsPeer => peer.pods(DNS_NAMESPACE, DNS_POD_LABELS),
};

/** The public internet: everything but the non-public IPv4 ranges. */
export const INTERNET: NetworkPeer = peer.internet();

/** Port list helper: `tcp(8080, 'metrics')`. */
export const tcp = (...ports: (number | string)[]): NetworkPort[] => ports.map((port) => ({ port }));

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function selector(labels?: Readonly<Record<string, string>>, withKeys?: readonly string[]): k8s.LabelSelector {
  const out: { matchLabels?: Record<string, string>; matchExpressions?: k8s.LabelSelectorRequirement[] } = {};
  if (labels && Object.keys(labels).length > 0) out.matchLabels = { ...labels };
  if (withKeys && withKeys.length > 0) out.matchExpressions = withKeys.map((key) => ({ key, operator: 'Exists' }));
  return out;
}

/** A peer as a NetworkPolicy peer; checks its CIDRs and namespace name first. */
export function networkPolicyPeer(scope: IConstruct, field: string, p: NetworkPeer): k8s.NetworkPolicyPeer {
  if (p.kind === 'cidr') {
    requireCidr(scope, `${field}.cidr`, p.cidr);
    p.except.forEach((c, i) => requireCidr(scope, `${field}.except[${i}]`, c));
    return { ipBlock: { cidr: p.cidr, ...(p.except.length > 0 ? { except: [...p.except] } : {}) } };
  }
  const ns = p.namespaces;
  if (typeof ns === 'object' && 'name' in ns) requireDnsLabel(scope, `${field}.namespace`, ns.name);
  const out: { namespaceSelector?: k8s.LabelSelector; podSelector?: k8s.LabelSelector } = {};
  if (ns === 'all') out.namespaceSelector = {};
  else if (typeof ns === 'object' && 'name' in ns)
    out.namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: ns.name } };
  else if (typeof ns === 'object') out.namespaceSelector = selector(ns.labels);
  if (p.podLabels || p.podLabelKeys || ns === 'own') out.podSelector = selector(p.podLabels, p.podLabelKeys);
  return out;
}

/** true when the peer is outside the flow's own namespace. */
const leavesNamespace = (p: NetworkPeer) => p.kind === 'cidr' || p.namespaces !== 'own';

/** Renders one flow as a NetworkPolicy in `namespace`; checks the flow first. */
export function flowPolicy(scope: IConstruct, id: string, namespace: string, flow: NetworkFlow): ApiObject {
  requireDnsLabel(scope, `flows["${flow.name}"].name`, flow.name);
  if (flow.peers.length === 0) {
    fail(
      scope,
      `flows["${flow.name}"].peers`,
      flow.peers,
      'must list at least one peer (an empty list allows nothing)',
    );
  }
  const peers = flow.peers.map((p, i) => networkPolicyPeer(scope, `flows["${flow.name}"].peers[${i}]`, p));
  const ports = flow.ports?.map((p, i) => {
    requirePort(scope, `flows["${flow.name}"].ports[${i}].port`, p.port);
    return {
      protocol: p.protocol ?? 'TCP',
      port: typeof p.port === 'number' ? k8s.IntOrString.fromNumber(p.port) : k8s.IntOrString.fromString(p.port),
    };
  });
  if (!ports) {
    const leaves = flow.peers.some(leavesNamespace);
    if (leaves) {
      fail(
        scope,
        `flows["${flow.name}"].ports`,
        undefined,
        'is required when a peer is outside the namespace: every port is open only between pods of one namespace',
      );
    }
  }
  const rule = { ...(flow.direction === 'ingress' ? { from: peers } : { to: peers }), ...(ports ? { ports } : {}) };
  return new k8s.KubeNetworkPolicy(scope, id, {
    metadata: {
      name: flow.name,
      namespace,
      annotations: {
        'agent-platform.io/flow': flow.description,
        ...(flow.selectsAddonPods ? { [SELECTOR_WAIVER]: flow.selectsAddonPods } : {}),
        ...Object.fromEntries(
          Object.entries(flow.waivers ?? {}).map(([rule, why]) => [`${WAIVER_PREFIX}${rule}`, why]),
        ),
      },
    },
    spec: {
      podSelector: selector(flow.pods, flow.podsWithLabel),
      policyTypes: [flow.direction === 'ingress' ? 'Ingress' : 'Egress'],
      ...(flow.direction === 'ingress' ? { ingress: [rule] } : { egress: [rule] }),
    },
  });
}
