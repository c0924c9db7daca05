/**
 * The runtime half of the sandbox contract: what the cluster's admission policies
 * (ValidatingAdmissionPolicy, rendered by charts-src/admission/) enforce on objects
 * created at run time, and what the gate (policy/rules/admission-policies.ts) requires
 * to exist. Both read the names from here.
 */
import { parseCidr } from './cidr-ranges';

/** Pod label of a session pod (its session id); warm-pool pods carry the warm-pool label instead. */
export const AGENT_SESSION_LABEL = 'agent-platform.io/session';
/** Pod label of a warm-pool pod not yet claimed by a session (`true`). */
export const AGENT_WARM_POOL_LABEL = 'agent-platform.io/warm-pool';
/** Session Secrets (and only those) are named `agent-session-<session id>`. */
export const SESSION_SECRET_PREFIX = 'agent-session-';

/** ValidatingAdmissionPolicy v1 is GA (served by default) from this minor on. */
export const ADMISSION_POLICY_MIN_MINOR = '1.30';

/**
 * Every ValidatingAdmissionPolicy the platform renders. Each has one binding of the same
 * name. `agentNamespace: true` marks the policies every namespace that runs agents needs.
 */
export const ADMISSION_POLICIES = {
  agentPods: { name: 'agent-pods', agentNamespace: true },
  agentServices: { name: 'agent-services', agentNamespace: true },
  orchestratorUpdates: { name: 'agent-orchestrator-updates', agentNamespace: true },
  orchestratorSecrets: { name: 'agent-orchestrator-secrets', agentNamespace: true },
  serviceExposure: { name: 'service-exposure', agentNamespace: false },
  tenantNetworkPolicies: { name: 'tenant-network-policies', agentNamespace: false },
} as const;

/** The policies (and bindings, same name) that must select every namespace running agents. */
export const AGENT_NAMESPACE_POLICIES: readonly string[] = Object.values(ADMISSION_POLICIES)
  .filter((p) => p.agentNamespace)
  .map((p) => p.name);

/**
 * Kubernetes group of the platform's deployers on EKS: every cluster-admin access entry
 * carries it (infra/aws/access-entries.ts), since EKS puts its admins in no group.
 */
export const PLATFORM_DEPLOYER_GROUP = 'agent-platform:deployers';

/**
 * Identities the platform deploys with, exempt from the tenant NetworkPolicy rules: the k3s
 * admin credential Pulumi uses is in `system:masters` (its client certificate's O); EKS
 * admins are in PLATFORM_DEPLOYER_GROUP.
 */
export const PLATFORM_ADMIN_GROUPS: readonly string[] = ['system:masters', PLATFORM_DEPLOYER_GROUP];

/** An IP range a tenant's or a workload's egress must never reach. */
export interface ForbiddenRange {
  readonly cidr: string;
  readonly what: string;
}

/** Link-local (cloud metadata at 169.254.169.254) and private ranges (nodes, etcd, kubelets). */
export const FORBIDDEN_EGRESS_RANGES: readonly ForbiddenRange[] = [
  { cidr: '169.254.0.0/16', what: 'link-local (the cloud metadata service)' },
  { cidr: '10.0.0.0/8', what: 'private' },
  { cidr: '172.16.0.0/12', what: 'private' },
  { cidr: '192.168.0.0/16', what: 'private' },
  { cidr: '100.64.0.0/10', what: 'shared address space (carrier-grade NAT)' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: 'fe80::/10', what: 'IPv6 link-local' },
  { cidr: 'fc00::/7', what: 'IPv6 unique local (private)' },
  { cidr: 'fd00:ec2::254/128', what: 'the AWS IPv6 metadata service' },
];

/**
 * The IPv4 forbidden ranges in address order: what an egress to "the internet" excepts
 * (charts-src/constructs/network-flow.ts `INTERNET`, the agents' egress), so that the
 * policies synth writes and the admission rule for runtime policies hold one list.
 */
export const NON_PUBLIC_IPV4_RANGES: readonly string[] = FORBIDDEN_EGRESS_RANGES.map((r) => r.cidr)
  .filter((cidr) => parseCidr(cidr)?.family === 4)
  .sort((a, b) => (parseCidr(a)!.base < parseCidr(b)!.base ? -1 : 1));

/** The cloud metadata endpoint (Hetzner and AWS) that serves node user data. */
export const METADATA_ADDRESS = '169.254.169.254';

/**
 * Ports agents may never reach, even on the internet: SSH, etcd, the Kubernetes API, the
 * k3s supervisor, kubelet and kube-proxy. An agent that can dial them can probe clusters.
 */
export const FORBIDDEN_AGENT_EGRESS_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  2379: 'etcd client',
  2380: 'etcd peer',
  6443: 'the Kubernetes API',
  9345: 'the k3s supervisor',
  10250: 'the kubelet API',
  10255: 'the kubelet read-only API',
  10256: 'kube-proxy health',
  10257: 'kube-controller-manager',
  10259: 'kube-scheduler',
};

/** `1.31` ≥ `1.30`: Kubernetes minors compared as numbers. */
export function minorAtLeast(minor: string, floor: string): boolean {
  const [a = 0, b = 0] = minor.split('.').map(Number);
  const [c = 0, d = 0] = floor.split('.').map(Number);
  return a !== c ? a > c : b >= d;
}
