/**
 * Network flows as data, and the NetworkPolicy each renders to. A namespace starts
 * from default-deny (see NamespaceGuardrails); every flow that opens a path is one
 * NetworkPolicy with one direction, a name that says what it allows and an
 * annotation that says why, so a reviewer reads the graph policy by policy.
 */
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { IConstruct } from 'constructs';
import { fail, requireCidr, requireDnsLabel, requirePort } from './construct-input';

/**
 * The other end of a flow. Exactly one of `cidr`, `namespace`, `namespaceLabels`
 * or neither (the flow's own namespace) is used; `pods`/`podsWithLabel` narrow it
 * to pods (not with `cidr`).
 */
export interface NetworkPeer {
  /** Addresses outside the pod network: nodes, the Kubernetes API server, the internet. */
  readonly cidr?: string;
  /** Ranges inside `cidr` that stay closed. */
  readonly except?: readonly string[];
  /** A namespace by name, or `*` for every namespace. */
  readonly namespace?: string;
  /** Namespaces carrying these labels. */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /** Pods carrying these labels. */
  readonly pods?: Readonly<Record<string, string>>;
  /** Pods carrying these label keys, whatever the value. */
  readonly podsWithLabel?: readonly string[];
}

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

/** Ranges an egress to "the internet" must exclude: private, CGNAT, link-local (cloud metadata), loopback. */
export const NON_PUBLIC_RANGES = [
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
] as const;

/** The public internet: everything but NON_PUBLIC_RANGES. */
export const INTERNET: NetworkPeer = { cidr: '0.0.0.0/0', except: NON_PUBLIC_RANGES };

/** Port list helper: `tcp(8080, 'metrics')`. */
export const tcp = (...ports: (number | string)[]): NetworkPort[] => ports.map((port) => ({ port }));

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function selector(labels?: Readonly<Record<string, string>>, withKeys?: readonly string[]): k8s.LabelSelector {
  const out: { matchLabels?: Record<string, string>; matchExpressions?: k8s.LabelSelectorRequirement[] } = {};
  if (labels && Object.keys(labels).length > 0) out.matchLabels = { ...labels };
  if (withKeys && withKeys.length > 0) out.matchExpressions = withKeys.map((key) => ({ key, operator: 'Exists' }));
  return out;
}

function peer(scope: IConstruct, field: string, p: NetworkPeer): k8s.NetworkPolicyPeer {
  const hasPods = !!p.pods || !!p.podsWithLabel;
  if (p.cidr !== undefined) {
    if (p.namespace !== undefined || p.namespaceLabels || hasPods) {
      fail(
        scope,
        field,
        p,
        'must not combine cidr with a namespace or pod selector (NetworkPolicy ipBlock stands alone)',
      );
    }
    requireCidr(scope, `${field}.cidr`, p.cidr);
    (p.except ?? []).forEach((c, i) => requireCidr(scope, `${field}.except[${i}]`, c));
    return { ipBlock: { cidr: p.cidr, ...(p.except && p.except.length > 0 ? { except: [...p.except] } : {}) } };
  }
  if (p.namespace !== undefined && p.namespaceLabels) {
    fail(scope, field, p, 'must set namespace or namespaceLabels, not both');
  }
  if (p.namespace !== undefined && p.namespace !== '*') requireDnsLabel(scope, `${field}.namespace`, p.namespace);
  const out: { namespaceSelector?: k8s.LabelSelector; podSelector?: k8s.LabelSelector } = {};
  if (p.namespace === '*') out.namespaceSelector = {};
  else if (p.namespace !== undefined) out.namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: p.namespace } };
  else if (p.namespaceLabels) out.namespaceSelector = selector(p.namespaceLabels);
  if (hasPods || !out.namespaceSelector) out.podSelector = selector(p.pods, p.podsWithLabel);
  return out;
}

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
  const peers = flow.peers.map((p, i) => peer(scope, `flows["${flow.name}"].peers[${i}]`, p));
  const ports = flow.ports?.map((p, i) => {
    requirePort(scope, `flows["${flow.name}"].ports[${i}].port`, p.port);
    return {
      protocol: p.protocol ?? 'TCP',
      port: typeof p.port === 'number' ? k8s.IntOrString.fromNumber(p.port) : k8s.IntOrString.fromString(p.port),
    };
  });
  if (!ports) {
    const leaves = flow.peers.some((p) => p.cidr !== undefined || p.namespace !== undefined || p.namespaceLabels);
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
