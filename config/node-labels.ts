/**
 * Which node labels and taints a node may register itself with. Node labels and taints
 * reach the Node object through the kubelet (`--node-labels`, `--register-with-taints`;
 * k3s `node-label`/`node-taint`, EKS node-group labels through nodeadm), so they obey
 * the kubelet's rules, and a violation is found only when the node fails to start.
 *
 * Labels (kubernetes/kubernetes cmd/kubelet/app/options/options.go `ValidateKubeletFlags`
 * with staging/src/k8s.io/kubelet/pkg/apis/well_known_labels.go `IsKubeletLabel`):
 * a key in the `kubernetes.io` or `k8s.io` domains (or any subdomain of them) is refused,
 * and kubelet exits, unless it is one of the labels the kubelet sets itself or its domain
 * is (a subdomain of) `kubelet.kubernetes.io` or `node.kubernetes.io`. So
 * `node-role.kubernetes.io/worker` is refused (k3s sets the role labels itself), and
 * `*.node-restriction.kubernetes.io` is refused by design: the NodeRestriction admission
 * plugin reserves it for labels a node must NOT be able to set on itself.
 *
 * Taints: `node.kubernetes.io/*` and `node.cloudprovider.kubernetes.io/*` are the taints
 * the node lifecycle and cloud node controllers add and remove (k8s.io/api core/v1
 * well_known_taints.go: not-ready, unreachable, unschedulable, memory-pressure, ...,
 * `node.cloudprovider.kubernetes.io/uninitialized`); a pool that registers one would see
 * it removed, or nodes held back, by a controller.
 */

/** Labels the kubelet may set on its own Node (k8s.io/kubelet well_known_labels.go `kubeletLabels`). */
export const KUBELET_LABELS: readonly string[] = [
  'kubernetes.io/hostname',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
];
/** Label domains the kubelet may use, with their subdomains (`kubeletLabelNamespaces`). */
export const KUBELET_LABEL_DOMAINS: readonly string[] = ['kubelet.kubernetes.io', 'node.kubernetes.io'];
/** Domains reserved for Kubernetes itself (kubelet options.go `isKubernetesLabel`). */
const KUBERNETES_DOMAINS = ['kubernetes.io', 'k8s.io'];
/** The NodeRestriction admission plugin's domain: labels nodes must not set on themselves. */
const NODE_RESTRICTION_DOMAIN = 'node-restriction.kubernetes.io';
/** Taint domains owned by the node lifecycle and cloud node controllers. */
export const CONTROLLER_TAINT_DOMAINS: readonly string[] = ['node.kubernetes.io', 'node.cloudprovider.kubernetes.io'];

function domainOf(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

const inDomain = (domain: string, parent: string) => domain === parent || domain.endsWith(`.${parent}`);

/** Why a node cannot register itself with this label key, or undefined when it can. */
export function nodeLabelKeyProblem(key: string): string | undefined {
  const domain = domainOf(key);
  if (inDomain(domain, NODE_RESTRICTION_DOMAIN)) {
    return (
      `is in ${NODE_RESTRICTION_DOMAIN}, which the NodeRestriction admission plugin reserves for labels a node ` +
      'must not set on itself; an administrator or controller sets those on the Node'
    );
  }
  if (!KUBERNETES_DOMAINS.some((d) => inDomain(domain, d))) return undefined;
  if (KUBELET_LABELS.includes(key) || KUBELET_LABEL_DOMAINS.some((d) => inDomain(domain, d))) return undefined;
  return (
    'is a kubernetes.io/k8s.io label the kubelet may not set on its own node (it refuses to start); allowed there: ' +
    `${KUBELET_LABEL_DOMAINS.map((d) => `*${d}/*`).join(', ')} or ${KUBELET_LABELS.join(', ')}; ` +
    'otherwise use your own domain, e.g. example.com/team'
  );
}

/** Why a pool must not register this taint key, or undefined when it may. */
export function nodeTaintKeyProblem(key: string): string | undefined {
  const domain = domainOf(key);
  const owned = CONTROLLER_TAINT_DOMAINS.find((d) => inDomain(domain, d));
  if (owned === undefined) return undefined;
  return (
    `is in ${owned}, whose taints the node lifecycle and cloud node controllers add and remove; ` +
    'use your own domain, e.g. example.com/dedicated'
  );
}
