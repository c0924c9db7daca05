/**
 * A picture of an environment, written at synth next to its manifests as
 * dist/<stack>/diagram.md (GitHub renders the Mermaid blocks): node pools →
 * namespaces → workloads, from the rendered pod templates' node selectors; and the
 * allowed network flows between namespaces, from the flow graph the charts render
 * their NetworkPolicies from (charts/platform-flows.ts, services[].callers, the agent
 * runtime's egress). Deterministic: every list is sorted, so its diff in a pull
 * request shows exactly what moved.
 */
import { cloudProfile, namespaceOf, POOL_LABEL, type EnvironmentSpec } from '../config';
import { platformNetwork } from './charts/platform-flows';
import type { NetworkFlow, NetworkPeer, NetworkPort } from './constructs/network-flow';
import { workloadPeer } from './charts/workloads';
import type { KubernetesObject as Manifest } from '../config/manifest';

/** File name of the diagram inside dist/<stack>/. */
export const DIAGRAM_FILE = 'diagram.md';

interface Workload {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly pool?: string;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'PodTemplate']);

const rec = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The pod spec of a workload object (CronJob: its job template's). */
function podSpec(o: Manifest): Record<string, unknown> {
  const spec = rec(o.spec);
  if (o.kind === 'PodTemplate') return rec(rec(o.template).spec);
  if (o.kind === 'CronJob') return rec(rec(rec(rec(spec.jobTemplate).spec).template).spec);
  return rec(rec(spec.template).spec);
}

/**
 * The pool a pod lands on: its own node selector, or the one its RuntimeClass adds at
 * admission (`scheduling.nodeSelector`: agent pods reach the gVisor pool that way).
 */
function poolOf(pod: Record<string, unknown>, runtimeClasses: ReadonlyMap<string, unknown>): string | undefined {
  const own = rec(pod.nodeSelector)[POOL_LABEL];
  if (typeof own === 'string') return own;
  const runtime = typeof pod.runtimeClassName === 'string' ? runtimeClasses.get(pod.runtimeClassName) : undefined;
  const viaRuntime = rec(rec(rec(runtime).scheduling).nodeSelector)[POOL_LABEL];
  return typeof viaRuntime === 'string' ? viaRuntime : undefined;
}

function workloadsOf(objects: readonly Manifest[]): Workload[] {
  const runtimeClasses = new Map(
    objects.filter((o) => o.kind === 'RuntimeClass').map((o) => [o.metadata.name, o as unknown] as const),
  );
  return objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind))
    .map((o) => {
      const pool = poolOf(podSpec(o), runtimeClasses);
      return {
        kind: o.kind,
        namespace: o.metadata.namespace ?? 'default',
        name: o.metadata.name,
        ...(pool === undefined ? {} : { pool }),
      };
    });
}

/** A Mermaid node id: letters, digits and `_` only. */
const id = (...parts: string[]) => parts.join('__').replace(/[^A-Za-z0-9_]/g, '_');
/** A Mermaid label in quotes. */
const label = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function ports(list: readonly NetworkPort[] | undefined): string {
  if (!list || list.length === 0) return 'all ports';
  return list.map((p) => `${p.protocol === 'UDP' ? 'udp' : 'tcp'}/${p.port}`).join(', ');
}

/** The namespace (or outside endpoint) a peer stands for. */
function endpointOf(spec: Pick<EnvironmentSpec, 'cloud'>, own: string, peer: NetworkPeer): string {
  if (peer.kind === 'cidr') {
    if (peer.cidr === spec.cloud.networkCidr) return 'nodes and Kubernetes API server';
    if (peer.cidr === '0.0.0.0/0') return 'internet';
    // On k3s, host-network pods of other nodes arrive from the pod network (config/clouds/hcloud.ts).
    if (cloudProfile(spec.cloud.provider).hostTrafficSources(spec.cloud).includes(peer.cidr))
      return "other nodes' host network";
    return peer.cidr;
  }
  const ns = peer.namespaces;
  if (ns === 'all') return 'every namespace';
  if (ns === 'own') return own;
  if ('name' in ns) return ns.name;
  return `namespaces with ${Object.entries(ns.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}`;
}

function flowEdges(spec: Pick<EnvironmentSpec, 'cloud'>, namespace: string, flow: NetworkFlow): Edge[] {
  return flow.peers.map((peer) => {
    const other = endpointOf(spec, namespace, peer);
    const text = ports(flow.ports);
    return flow.direction === 'egress'
      ? { from: namespace, to: other, label: text }
      : { from: other, to: namespace, label: text };
  });
}

/** Every allowed flow between namespaces and the outside, once per (from, to, ports). */
export function networkEdges(spec: EnvironmentSpec): Edge[] {
  const network = platformNetwork(spec);
  const edges: Edge[] = [];
  for (const [namespace, flows] of network.namespaces) {
    for (const flow of flows) edges.push(...flowEdges(spec, namespace, flow));
  }
  const cp = namespaceOf(spec, 'control-plane').name;
  for (const peer of network.api.ingressFrom) {
    edges.push({ from: endpointOf(spec, cp, peer), to: cp, label: `tcp/${spec.controlPlaneApi.port}` });
  }
  for (const egress of network.api.egress) {
    for (const peer of egress.peers)
      edges.push({ from: cp, to: endpointOf(spec, cp, peer), label: ports(egress.ports) });
  }
  for (const service of spec.services) {
    const target = workloadPeer(spec, service.name).namespace;
    for (const caller of service.callers) {
      edges.push({ from: workloadPeer(spec, caller).namespace, to: target, label: `tcp/${service.port}` });
    }
  }
  const agentsNs = spec.namespaces.find((n) => n.kind === 'platform' && n.key === 'agents')?.name;
  if (spec.agents && agentsNs) {
    const out = [
      ...spec.agents.egressPorts.map((port) => ({ port })),
      ...spec.agents.egressUdpPorts.map((port) => ({ port, protocol: 'UDP' as const })),
    ];
    if (out.length > 0) edges.push({ from: agentsNs, to: 'internet', label: ports(out) });
  }
  // One arrow per (from, to): the ports of every flow between them, each once.
  const merged = new Map<string, { from: string; to: string; labels: Set<string> }>();
  for (const e of edges.filter((x) => x.from !== x.to)) {
    const key = `${e.from}\0${e.to}`;
    const entry = merged.get(key) ?? { from: e.from, to: e.to, labels: new Set<string>() };
    entry.labels.add(e.label);
    merged.set(key, entry);
  }
  return [...merged.values()]
    .map((m) => ({ from: m.from, to: m.to, label: [...m.labels].sort(byText).join('; ') }))
    .sort((a, b) => byText(a.from, b.from) || byText(a.to, b.to));
}

function placementDiagram(spec: Pick<EnvironmentSpec, 'nodePools'>, workloads: readonly Workload[]): string[] {
  const lines = ['```mermaid', 'flowchart LR'];
  const pools = [...spec.nodePools].sort((a, b) => byText(a.name, b.name));
  for (const pool of pools) {
    const size = pool.autoscaled ? `${pool.min}–${pool.max}` : `${pool.min}`;
    lines.push(
      `  ${id('pool', pool.name)}[${label(`pool ${pool.name}: ${pool.instanceType} ×${size}${pool.gvisor ? ', gVisor' : ''}`)}]`,
    );
  }
  const placed = [...workloads].sort(
    (a, b) =>
      byText(a.pool ?? '~', b.pool ?? '~') ||
      byText(a.namespace, b.namespace) ||
      byText(`${a.kind}/${a.name}`, `${b.kind}/${b.name}`),
  );
  const declared = new Set<string>();
  for (const w of placed) {
    const pool = w.pool ?? '(any node)';
    const poolId = id('pool', pool);
    const nsId = id('ns', pool, w.namespace);
    if (!w.pool && !declared.has(poolId)) {
      lines.push(`  ${poolId}[${label('no node selector')}]`);
      declared.add(poolId);
    }
    if (!declared.has(nsId)) {
      lines.push(`  ${poolId} --> ${nsId}([${label(`namespace ${w.namespace}`)}])`);
      declared.add(nsId);
    }
    lines.push(`  ${nsId} --> ${id('wl', w.namespace, w.kind, w.name)}[${label(`${w.kind} ${w.name}`)}]`);
  }
  lines.push('```');
  return lines;
}

function networkDiagram(edges: readonly Edge[]): string[] {
  const lines = ['```mermaid', 'flowchart LR'];
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort(byText);
  for (const node of nodes) lines.push(`  ${id('net', node)}[${label(node)}]`);
  for (const e of edges) lines.push(`  ${id('net', e.from)} -->|${label(e.label)}| ${id('net', e.to)}`);
  lines.push('```');
  return lines;
}

/** The Markdown of dist/<stack>/diagram.md. */
export function environmentDiagram(spec: EnvironmentSpec, objects: readonly Manifest[]): string {
  const workloads = workloadsOf(objects);
  const edges = networkEdges(spec);
  return [
    `# Environment \`${spec.stack}\``,
    '',
    `Generated by \`npm run synth\` from \`Pulumi.${spec.stack}.yaml\` and the rendered manifests (never edit by hand). ` +
      'Add-on pods (Helm releases) are not in dist/ and not drawn.',
    '',
    '## Node pools → namespaces → workloads',
    '',
    ...placementDiagram(spec, workloads),
    '',
    '## Allowed network flows',
    '',
    'Beyond default-deny and DNS: one arrow per flow the NetworkPolicies open, from the caller to the callee, with the destination ports.',
    '',
    ...networkDiagram(edges),
    '',
  ].join('\n');
}
