/**
 * Settings that parse but would hand away the cluster: a tenant that is really
 * `kube-system`, tenant groups that mean "everyone", egress to the metadata service,
 * agent egress to cluster ports, admin CIDRs that together are the internet, agent
 * images from anywhere. Each refusal names the path, the value and what is allowed.
 */
import type { ConfigIssue } from './errors';
import {
  ADMISSION_POLICY_MIN_MINOR,
  FORBIDDEN_AGENT_EGRESS_PORTS,
  METADATA_ADDRESS,
  minorAtLeast,
  PLATFORM_DEPLOYER_GROUP,
} from './admission';
import { containsRange, coversEverything, parseCidr, type IpRange } from './cidr-ranges';
import { prefixedName } from './contract';
import type { ParsedEnvironment } from './schema';

/** Namespaces Kubernetes itself owns; a tenant there would get `admin` over the cluster's core. */
const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const METADATA = parseCidr(`${METADATA_ADDRESS}/32`)!;

const issue = (path: PropertyKey[], message: string, input?: unknown): ConfigIssue => ({
  path,
  message,
  input,
  hasInput: input !== undefined,
});

export interface DangerousSettingsResult {
  readonly issues: ConfigIssue[];
  readonly warnings: string[];
}

export function checkDangerousSettings(parsed: ParsedEnvironment): DangerousSettingsResult {
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  tenantNamespaces(parsed, issues);
  systemGroups(parsed, issues);
  adminCidrs(parsed, issues, warnings);
  metadataEgress(parsed, issues);
  agentSettings(parsed, issues);
  return { issues, warnings };
}

function tenantNamespaces(parsed: ParsedEnvironment, issues: ConfigIssue[]): void {
  parsed.tenants.forEach((t, i) => {
    const name = prefixedName(parsed.namespacePrefix, t.name);
    if (RESERVED_NAMESPACES.includes(name) || name.startsWith('kube-')) {
      issues.push(
        issue(
          ['tenants', i, 'name'],
          `gives namespace "${name}", which Kubernetes owns; tenant admins would hold admin there (allowed: any name whose namespace is not default or kube-*)`,
          t.name,
        ),
      );
    }
  });
}

/** `system:` groups are the API server's own (every user, every service account, the masters). */
function systemGroups(parsed: ParsedEnvironment, issues: ConfigIssue[]): void {
  const check = (path: PropertyKey[], group: string) => {
    if (group === PLATFORM_DEPLOYER_GROUP) {
      issues.push(
        issue(
          path,
          "is the platform deployers' group (exempt from tenant admission rules); allowed: your identity provider's team groups",
          group,
        ),
      );
    } else if (group.startsWith('system:')) {
      issues.push(
        issue(
          path,
          "is a Kubernetes system group (system:authenticated, system:unauthenticated, system:serviceaccounts, ... mean everyone or every workload); allowed: your identity provider's team groups",
          group,
        ),
      );
    }
  };
  parsed.tenants.forEach((t, i) => {
    t.adminGroups.forEach((g, j) => check(['tenants', i, 'adminGroups', j], g));
    t.viewGroups.forEach((g, j) => check(['tenants', i, 'viewGroups', j], g));
  });
  parsed.access.clusterReadOnlyGroups.forEach((g, j) => check(['access', 'clusterReadOnlyGroups', j], g));
}

/** Admin CIDRs that together hold every address open SSH and the API to the internet. */
function adminCidrs(parsed: ParsedEnvironment, issues: ConfigIssue[], warnings: string[]): void {
  const ranges = parsed.adminCidrs.map(parseCidr).filter((r): r is IpRange => r !== undefined);
  if (!coversEverything(ranges, 4)) return;
  const what = 'together cover every IPv4 address: SSH and the Kubernetes API are open to the internet';
  if (parsed.stage === 'prod') {
    issues.push(issue(['adminCidrs'], `${what}; allowed in prod: your VPN, office and CI ranges only`));
  } else if (!parsed.adminCidrs.includes('0.0.0.0/0')) {
    // 0.0.0.0/0 alone already has its warning (config/environment.ts).
    warnings.push(`adminCidrs ${what}`);
  }
}

interface EgressLike {
  readonly cidr: string;
  readonly except: readonly string[];
}

/** An egress rule that reaches 169.254.169.254 hands node user data (join tokens) to the pod. */
function metadataEgress(parsed: ParsedEnvironment, issues: ConfigIssue[]): void {
  const check = (path: PropertyKey[], rules: readonly EgressLike[]) =>
    rules.forEach((rule, i) => {
      const range = parseCidr(rule.cidr);
      if (!range || !containsRange(range, METADATA)) return;
      const excepted = rule.except.some((e) => {
        const r = parseCidr(e);
        return r !== undefined && containsRange(r, METADATA);
      });
      if (!excepted) {
        issues.push(
          issue(
            [...path, i, 'cidr'],
            `reaches the cloud metadata service (${METADATA_ADDRESS}), which serves node user data; add "${METADATA_ADDRESS}/32" to except or use a narrower cidr`,
            rule.cidr,
          ),
        );
      }
    });
  check(['controlPlaneApi', 'egress'], parsed.controlPlaneApi.egress);
  parsed.services.forEach((s, i) => check(['services', i, 'egress'], s.egress));
}

function agentSettings(parsed: ParsedEnvironment, issues: ConfigIssue[]): void {
  const agents = parsed.agents;
  if (!agents) return;
  const allowedPorts = 'allowed: service ports on the internet such as 443';
  (['egressPorts', 'egressUdpPorts'] as const).forEach((key) =>
    agents[key].forEach((port, i) => {
      const what = FORBIDDEN_AGENT_EGRESS_PORTS[port];
      if (what !== undefined) {
        issues.push(issue(['agents', key, i], `is the port of ${what}; agents never reach it (${allowedPorts})`, port));
      }
    }),
  );
  if (!agents.allowedRegistries.some((r) => agents.image.startsWith(`${r}/`))) {
    issues.push(
      issue(
        ['agents', 'image'],
        `is not from agents.allowedRegistries (${agents.allowedRegistries.join(', ')}); admission would deny every agent pod`,
        agents.image,
      ),
    );
  }
  if (!minorAtLeast(parsed.kubernetes.version, ADMISSION_POLICY_MIN_MINOR)) {
    issues.push(
      issue(
        ['kubernetes', 'version'],
        `cannot run agents: their sandbox is enforced by ValidatingAdmissionPolicy v1, served from ${ADMISSION_POLICY_MIN_MINOR} on (allowed: ${ADMISSION_POLICY_MIN_MINOR} or newer)`,
        parsed.kubernetes.version,
      ),
    );
  }
}
