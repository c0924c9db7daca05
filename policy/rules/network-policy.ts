/**
 * Rule family network-policy: what a NetworkPolicy opens. Egress that reaches the cloud
 * metadata service (node user data, instance credentials) or, on every port, the private
 * ranges (kubelet, etcd, the API server, databases); ingress open to every source; agent
 * pods (untrusted code) reachable from anything but named namespaces.
 *
 * Semantics from the Kubernetes API (k8s.io/api networking/v1 types.go): a rule without
 * `to`/`from` matches every peer, a rule without `ports` every port, an empty
 * `namespaceSelector` every namespace, a peer without `namespaceSelector` the policy's
 * own namespace.
 */
import {
  asArray,
  asObject,
  asString,
  effectiveNamespace,
  isObject,
  metadataNamespace,
  namespaceOf,
} from '../manifests';
import { asObjects, shown } from '../values';
import { covers } from '../../config';
import { perRun, ruleFamily, type GateRule, type Hit } from '../rule';
import type { GateContext, Manifest, PathSegment } from '../types';
import { isEmptySelector, selectorMatches } from '../workloads';
import { agentTemplates } from './content-scope';
import { ofKind } from './object-index';

/** Cloud metadata services: 169.254.169.254 (AWS, Hetzner, GCP, Azure) and AWS's IPv6 endpoint. */
const METADATA = ['169.254.169.254', 'fd00:ec2::254'];
/** Private ranges where nodes and in-cluster services live (RFC 1918, RFC 4193). */
const PRIVATE = { 4: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], 6: ['fc00::/7'] };
const EVERYWHERE = ['0.0.0.0/0', '::/0'];

interface Rule {
  readonly manifest: Manifest;
  readonly index: number;
  readonly rule: Record<string, unknown>;
}

/** The ingress and egress rules of every NetworkPolicy, read once per run (four rules read them). */
const policyRules = perRun((ctx) => {
  const read = (direction: 'ingress' | 'egress'): Rule[] =>
    ofKind(ctx, 'NetworkPolicy').flatMap((manifest) =>
      asArray(asObject(manifest.object.spec)[direction]).map((rule, index) => ({
        manifest,
        index,
        rule: asObject(rule),
      })),
    );
  return { ingress: read('ingress'), egress: read('egress') };
});

const rulesOf = (ctx: GateContext, direction: 'ingress' | 'egress'): readonly Rule[] => policyRules(ctx)[direction];

/** Ports text for messages and whether the metadata service's port 80 is among them. */
function portsOf(rule: Record<string, unknown>): { all: boolean; text: string; reaches80: boolean } {
  const ports = asObjects(rule.ports);
  if (ports.length === 0) return { all: true, text: 'every port', reaches80: true };
  const reaches80 = ports.some((p) => {
    if (p.port === undefined || p.port === 80 || p.port === 'http') return true;
    return typeof p.port === 'number' && typeof p.endPort === 'number' && p.port <= 80 && p.endPort >= 80;
  });
  return { all: false, text: `ports ${ports.map((p) => shown(p.port ?? 'all')).join(', ')}`, reaches80 };
}

interface Destination {
  readonly cidr: string;
  readonly except: string[];
  readonly path: PathSegment[];
}

/** The address ranges an egress rule reaches: its ipBlocks, or everything when it has no `to`. */
function destinationsOf(r: Rule): Destination[] {
  const base: PathSegment[] = ['spec', 'egress', r.index];
  const peers = asArray(r.rule.to);
  if (peers.length === 0) return EVERYWHERE.map((cidr) => ({ cidr, except: [], path: base }));
  return peers.flatMap((peer, j) => {
    const block = asObject(asObject(peer).ipBlock);
    const cidr = asString(block.cidr);
    if (!cidr) return [];
    const except = asArray(block.except).filter((e): e is string => typeof e === 'string');
    return [{ cidr, except, path: [...base, 'to', j, 'ipBlock', 'cidr'] }];
  });
}

const excepted = (d: Destination, range: string) => d.except.some((e) => covers(e, range));

function metadataHits(r: Rule): Hit[] {
  const ports = portsOf(r.rule);
  if (!ports.reaches80) return [];
  return destinationsOf(r).flatMap((d) =>
    METADATA.filter((address) => covers(d.cidr, address) && !excepted(d, address)).map((address) => ({
      manifest: r.manifest,
      path: d.path,
      message: `egress to ${d.cidr} on ${ports.text} reaches the cloud metadata service ${address}: every selected pod can read the node's user data and instance credentials`,
      fix: `add ${address.includes(':') ? `${address}/128` : '169.254.0.0/16'} to ipBlock.except (or name narrower destinations)`,
    })),
  );
}

function privateHits(r: Rule): Hit[] {
  if (!portsOf(r.rule).all) return [];
  return destinationsOf(r).flatMap((d) => {
    const family = d.cidr.includes(':') ? 6 : 4;
    if (!EVERYWHERE.includes(d.cidr)) return [];
    const open = PRIVATE[family].filter((range) => !excepted(d, range));
    if (open.length === 0) return [];
    return [
      {
        manifest: r.manifest,
        path: d.path,
        message: `egress to ${d.cidr} on every port reaches the private ranges ${open.join(', ')}: the nodes (kubelet 10250, etcd 2379, the API server 6443) and every private service`,
      },
    ];
  });
}

const everyNamespace = (peer: Record<string, unknown>) =>
  isObject(peer.namespaceSelector) && isEmptySelector(peer.namespaceSelector);

/** Ingress peers open to any source: no `from`, an ipBlock of the whole internet, every pod of every namespace. */
function openIngressHits(r: Rule): Hit[] {
  const base: PathSegment[] = ['spec', 'ingress', r.index];
  const peers = asObjects(r.rule.from);
  if (peers.length === 0) {
    return [
      {
        manifest: r.manifest,
        path: base,
        message: 'an ingress rule without `from` admits every source: the internet, every pod of every namespace',
      },
    ];
  }
  return peers.flatMap((peer, j): Hit[] => {
    const cidr = asString(asObject(peer.ipBlock).cidr);
    if (cidr && EVERYWHERE.includes(cidr)) {
      return [
        {
          manifest: r.manifest,
          path: [...base, 'from', j, 'ipBlock', 'cidr'],
          message: `admits ingress from ${cidr}: every address, the internet included`,
        },
      ];
    }
    if (everyNamespace(peer) && (!isObject(peer.podSelector) || isEmptySelector(peer.podSelector))) {
      return [
        {
          manifest: r.manifest,
          path: [...base, 'from', j, 'namespaceSelector'],
          message: 'admits ingress from every pod of every namespace (empty namespaceSelector)',
        },
      ];
    }
    return [];
  });
}

/** The policy selects agent pods (untrusted code). */
function selectsAgents(ctx: GateContext, m: Manifest): boolean {
  const selector = asObject(m.object.spec).podSelector ?? {};
  return agentTemplates(ctx).some(
    (t) => effectiveNamespace(t.namespace) === namespaceOf(m.object) && selectorMatches(selector, t.labels),
  );
}

function agentPeerHits(r: Rule): Hit[] {
  const base: PathSegment[] = ['spec', 'ingress', r.index];
  const peers = asObjects(r.rule.from);
  if (peers.length === 0)
    return [{ manifest: r.manifest, path: base, message: 'agent pods accept ingress from every source (no `from`)' }];
  return peers.flatMap((peer, j): Hit[] => {
    const path = [...base, 'from', j];
    if (isObject(peer.ipBlock)) {
      return [
        {
          manifest: r.manifest,
          path: [...path, 'ipBlock'],
          message: `agent pods accept ingress from the address range ${shown(asObject(peer.ipBlock).cidr)}`,
        },
      ];
    }
    if (!isObject(peer.namespaceSelector)) {
      const ns = metadataNamespace(r.manifest.object) ?? 'default';
      return [
        {
          manifest: r.manifest,
          path: [...path, 'podSelector'],
          message: `agent pods accept ingress from pods of their own namespace ${ns}: one session reaches another`,
        },
      ];
    }
    if (everyNamespace(peer)) {
      return [
        {
          manifest: r.manifest,
          path: [...path, 'namespaceSelector'],
          message: 'agent pods accept ingress from every namespace (empty namespaceSelector)',
        },
      ];
    }
    return [];
  });
}

export const egressMetadataRule: GateRule = {
  id: 'netpol.egress-metadata',
  severity: 'error',
  description: 'egress never reaches the cloud metadata service (169.254.169.254, fd00:ec2::254)',
  fix: 'add 169.254.0.0/16 to ipBlock.except',
  check: (ctx) => rulesOf(ctx, 'egress').flatMap(metadataHits),
};

export const egressPrivateRule: GateRule = {
  id: 'netpol.egress-private',
  severity: 'error',
  description: 'egress to 0.0.0.0/0 or ::/0 on every port excepts the private ranges',
  fix: 'add 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16 (fc00::/7 for IPv6) to ipBlock.except, or restrict the rule to the ports the workload needs',
  check: (ctx) => rulesOf(ctx, 'egress').flatMap(privateHits),
};

export const ingressOpenRule: GateRule = {
  id: 'netpol.ingress-open',
  severity: 'error',
  description: 'no ingress from every source (no from, 0.0.0.0/0, every pod of every namespace)',
  fix: 'name the sources: a namespaceSelector on kubernetes.io/metadata.name plus a podSelector',
  check: (ctx) => rulesOf(ctx, 'ingress').flatMap(openIngressHits),
};

export const agentsReachableRule: GateRule = {
  id: 'netpol.agents-reachable',
  severity: 'error',
  description: 'agent pods accept ingress only from named namespaces, never from other sessions',
  fix: 'admit only the control plane (and monitoring): a namespaceSelector on kubernetes.io/metadata.name plus a podSelector',
  check: (ctx) =>
    rulesOf(ctx, 'ingress')
      .filter((r) => selectsAgents(ctx, r.manifest))
      .flatMap(agentPeerHits),
};

export const networkPolicyRules = ruleFamily('network-policy', [
  egressMetadataRule,
  egressPrivateRule,
  ingressOpenRule,
  agentsReachableRule,
]);
