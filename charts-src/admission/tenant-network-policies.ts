/**
 * Tenant admins hold the built-in `admin` role in their namespaces, which edits
 * NetworkPolicies. Without this policy they could open egress to the cloud metadata
 * service (node user data) or to the private network (nodes, etcd, kubelets). With it,
 * anyone but the platform's own deployer:
 * - creates or updates NetworkPolicies whose egress names its destinations and reaches
 *   no link-local, private, shared or loopback range (an `except` may carve one out);
 * - never changes or deletes the platform's policies (default-deny, DNS, flows), which
 *   carry the label `app.kubernetes.io/managed-by: agent-platform`.
 *
 * IPv6 blocks are judged conservatively by their text (CEL here has no IP library that
 * both evaluators share): a block is allowed when its prefix is at least /16 and it starts
 * outside fc00::/7 and fe80::/10, or when it excepts both ranges exactly.
 */
import { ADMISSION_POLICIES, FORBIDDEN_EGRESS_RANGES, PLATFORM_ADMIN_GROUPS } from '../../config';
import { and, ipv4ContainsCidr, ipv4ContainsRange, ipv4Overlaps, or, range, str, strList } from './cel';
import { namespacesNamed, type AdmissionPolicyDefinition } from './policy-definition';

/** The label the platform's charts put on every object they render (charts-src/charts/platform-chart.ts). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_PLATFORM = 'agent-platform';

/** Bounds on what one tenant NetworkPolicy may list, so its check stays within CEL cost limits. */
export const MAX_EGRESS_RULES = 10;
export const MAX_PEERS = 10;
export const MAX_EXCEPTS = 8;

const IPV4_FORBIDDEN = FORBIDDEN_EGRESS_RANGES.filter((r) => !r.cidr.includes(':'));
const IPV6_EXCEPTS = ['fc00::/7', 'fe80::/10'];

/** ipBlock `b` (IPv4) reaches none of the forbidden ranges, net of its excepts. */
function ipv4BlockSafe(): string {
  const cidr = 'b.cidr';
  return and(
    ...IPV4_FORBIDDEN.map((f) => {
      const r = range(f.cidr);
      // Overlapping: the shared part is the narrower of the two, and an except must hold it.
      const excepted = `has(b.except) && b.except.exists(e, !e.contains(':') && (int(${cidr}.split('/')[1]) >= ${r.prefix} ? ${ipv4ContainsCidr('e', cidr)} : ${ipv4ContainsRange('e', r)}))`;
      return `!(${ipv4Overlaps(cidr, r)}) || (${excepted})`;
    }),
  );
}

function ipv6BlockSafe(): string {
  const lower = 'b.cidr.lowerAscii()';
  const outside = and(
    `int(b.cidr.split('/')[1]) >= 16`,
    `!b.cidr.contains('.')`,
    `!${lower}.startsWith('fc') && !${lower}.startsWith('fd')`,
    `!${lower}.startsWith('fe8') && !${lower}.startsWith('fe9') && !${lower}.startsWith('fea') && !${lower}.startsWith('feb')`,
  );
  const carved = `has(b.except) && ${strList(IPV6_EXCEPTS)}.all(x, x in b.except)`;
  return or(outside, carved);
}

export interface TenantNetworkPolicyProps {
  /** The tenant namespaces. */
  readonly namespaces: readonly string[];
}

export function tenantNetworkPoliciesPolicy(props: TenantNetworkPolicyProps): AdmissionPolicyDefinition {
  const managed = (o: string) =>
    `has(${o}.metadata.labels) && ${str(MANAGED_BY_LABEL)} in ${o}.metadata.labels && ${o}.metadata.labels[${str(MANAGED_BY_LABEL)}] == ${str(MANAGED_BY_PLATFORM)}`;
  const forbidden = FORBIDDEN_EGRESS_RANGES.map((r) => `${r.cidr} (${r.what})`).join(', ');
  return {
    name: ADMISSION_POLICIES.tenantNetworkPolicies.name,
    description:
      'NetworkPolicies in tenant namespaces: no egress to link-local or private ranges; platform policies stay as rendered',
    resourceRules: [
      {
        apiGroups: ['networking.k8s.io'],
        apiVersions: ['v1'],
        operations: ['CREATE', 'UPDATE', 'DELETE'],
        resources: ['networkpolicies'],
      },
    ],
    namespaceSelector: namespacesNamed(props.namespaces),
    matchConditions: [
      {
        name: 'not-the-platform-deployer',
        expression: `!has(request.userInfo.groups) || !request.userInfo.groups.exists(g, g in ${strList(PLATFORM_ADMIN_GROUPS)})`,
      },
    ],
    validations: [
      {
        expression: `request.operation == 'CREATE' || !(${managed('oldObject')})`,
        message: `the platform's NetworkPolicies (label ${MANAGED_BY_LABEL}: ${MANAGED_BY_PLATFORM}: default-deny, DNS, platform flows) are changed only through the platform's stack file, never deleted or edited in the namespace`,
        reason: 'Forbidden',
      },
      {
        expression: `request.operation == 'DELETE' || !has(object.spec.egress) || object.spec.egress.all(r, has(r.to) && size(r.to) > 0)`,
        message:
          'every egress rule of a tenant NetworkPolicy lists its destinations in "to"; a rule without "to" reaches every address, the metadata service and the private network included',
        reason: 'Forbidden',
      },
      {
        // The size bounds come first (&& short-circuits): they keep the worst case of this
        // expression near 0.5 M cost units, under the API server's 1 M per expression (docs/admission.md).
        expression: `request.operation == 'DELETE' || !has(object.spec.egress) || (size(object.spec.egress) <= ${MAX_EGRESS_RULES} && object.spec.egress.all(r, !has(r.to) || (size(r.to) <= ${MAX_PEERS} && r.to.all(p, !has(p.ipBlock) || ((!has(p.ipBlock.except) || size(p.ipBlock.except) <= ${MAX_EXCEPTS}) && (!p.ipBlock.cidr.contains(':') ? [p.ipBlock].all(b, ${ipv4BlockSafe()}) : [p.ipBlock].all(b, ${ipv6BlockSafe()})))))))`,
        message: `tenant NetworkPolicies never reach, by ipBlock, these ranges (list them in "except" when the cidr spans one): ${forbidden}; IPv6 blocks must be /16 or longer outside fc00::/7 and fe80::/10, or except both; at most ${MAX_EGRESS_RULES} egress rules, ${MAX_PEERS} peers per rule and ${MAX_EXCEPTS} excepts per ipBlock`,
        reason: 'Forbidden',
      },
    ],
  };
}
