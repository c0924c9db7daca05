/**
 * Namespaces: the platform catalogue (config/namespaces.ts) filtered by what the
 * environment enables, with the stack file's overrides, then the tenants; names
 * checked for collisions and length.
 */
import { cloudProfile } from '../clouds';
import { prefixedName } from '../contract';
import { certManagerEnabled, clusterGroupName, externalDnsEnabled, fluentBitEnabled } from '../edge';
import type { ConfigIssue } from '../errors';
import type { AddonsSpec, NamespaceSpec } from '../environment-spec';
import { PLATFORM_NAMESPACES, PLATFORM_NAMESPACE_KEYS, type NamespaceEnablement } from '../namespaces';
import type { ParsedEnvironment } from '../schema';
import { issue } from './issue';
import { appendAll } from '../append-all';

/** Namespaces read the whole file: add-ons, edge settings (config/edge.ts), tenants. */
type NamespaceInput = ParsedEnvironment;

/** What decides which platform namespaces exist. */
export function namespaceEnablement(parsed: NamespaceInput, addons: AddonsSpec): NamespaceEnablement {
  return {
    agents: parsed.agents !== undefined,
    inPlaceNodeUpgrades: cloudProfile(parsed.cloud.provider).inPlaceNodeUpgrades,
    addons: {
      vault: addons.vault.enabled,
      kubePrometheusStack: addons.kubePrometheusStack.enabled,
      falco: addons.falco.enabled,
      istio: addons.istio.enabled,
      keda: addons.keda.enabled,
      vpa: addons.vpa.enabled,
      certManager: certManagerEnabled(parsed),
      externalDns: externalDnsEnabled(parsed),
      fluentBit: fluentBitEnabled(parsed),
      backup: addons.velero.enabled,
    },
  };
}

/** Every namespace, platform first (catalogue order), then tenants (stack-file order). */
export function resolveNamespaces(
  parsed: NamespaceInput,
  addons: AddonsSpec,
): { namespaces: NamespaceSpec[]; issues: ConfigIssue[] } {
  const issues = unknownPlatformKeyIssues(parsed);
  const namespaces = platformNamespaces(parsed, addons);
  const tenants = tenantNamespaces(parsed, addons, namespaces);
  appendAll(namespaces, tenants.namespaces);
  appendAll(issues, tenants.issues);
  appendAll(issues, nameLengthIssues(parsed, namespaces));
  return { namespaces, issues };
}

/** `namespaces.<key>` overrides only platform namespaces. */
function unknownPlatformKeyIssues(parsed: Pick<ParsedEnvironment, 'namespaces'>): ConfigIssue[] {
  const known: readonly string[] = PLATFORM_NAMESPACE_KEYS;
  return Object.keys(parsed.namespaces)
    .filter((key) => !known.includes(key))
    .map((key) =>
      issue(
        ['namespaces', key],
        `is not a platform namespace (allowed: ${PLATFORM_NAMESPACE_KEYS.join(', ')}); declare team namespaces under tenants`,
      ),
    );
}

function platformNamespaces(parsed: NamespaceInput, addons: AddonsSpec): NamespaceSpec[] {
  const enablement = namespaceEnablement(parsed, addons);
  return PLATFORM_NAMESPACES.filter((def) => def.enabled(enablement)).map((def) => {
    const o = parsed.namespaces[def.key] ?? {};
    return {
      key: def.key,
      name: def.prefixed ? prefixedName(parsed.namespacePrefix, def.key) : def.key,
      kind: 'platform',
      podSecurity: o.podSecurity ?? def.podSecurity,
      mesh: o.mesh ?? (def.mesh && addons.istio.enabled),
      quota: o.quota ?? parsed.guardrails.quota,
      limitRange: o.limitRange ?? parsed.guardrails.limitRange,
      purpose: def.purpose,
      ...(def.exception ? { exception: def.exception } : {}),
      adminGroups: [],
      viewGroups: [],
    };
  });
}

/** Tenants: their namespace must not collide with an earlier one, and a meshed tenant needs Istio. */
function tenantNamespaces(
  parsed: NamespaceInput,
  addons: AddonsSpec,
  platform: readonly NamespaceSpec[],
): { namespaces: NamespaceSpec[]; issues: ConfigIssue[] } {
  const tenantGuard = parsed.tenantDefaults ?? parsed.guardrails;
  const issues: ConfigIssue[] = [];
  const namespaces: NamespaceSpec[] = [];
  // First holder of each name, so a clash names the earliest namespace (linear in tenants: an
  // environment may hold 10,000 of them).
  const byName = new Map<string, NamespaceSpec>();
  for (const n of platform) if (!byName.has(n.name)) byName.set(n.name, n);
  parsed.tenants.forEach((t, i) => {
    const name = prefixedName(parsed.namespacePrefix, t.name);
    const clash = byName.get(name);
    if (clash) {
      const message = `gives namespace "${name}", already used by the ${clash.kind} namespace "${clash.key}"`;
      issues.push(issue(['tenants', i, 'name'], message, t.name));
    }
    if (t.mesh && !addons.istio.enabled) {
      issues.push(issue(['tenants', i, 'mesh'], 'requires addons.istio.enabled', t.mesh));
    }
    const tenant: NamespaceSpec = {
      key: t.name,
      name,
      kind: 'tenant',
      podSecurity: t.podSecurity,
      mesh: t.mesh,
      quota: t.quota ?? tenantGuard.quota,
      limitRange: t.limitRange ?? tenantGuard.limitRange,
      purpose: `tenant namespace of team ${t.name}`,
      // As the cluster sees them: the OIDC groups prefix, when people log in through OIDC.
      adminGroups: t.adminGroups.map((g) => clusterGroupName(parsed, g)),
      viewGroups: t.viewGroups.map((g) => clusterGroupName(parsed, g)),
    };
    namespaces.push(tenant);
    if (!byName.has(name)) byName.set(name, tenant);
  });
  return { namespaces, issues };
}

/** A namespace name is a DNS label: at most 63 characters. */
function nameLengthIssues(parsed: Pick<ParsedEnvironment, 'tenants'>, namespaces: readonly NamespaceSpec[]) {
  return namespaces
    .filter((n) => n.name.length > 63)
    .map((n) => {
      const path =
        n.kind === 'tenant'
          ? ['tenants', parsed.tenants.findIndex((t) => t.name === n.key), 'name']
          : ['namespacePrefix'];
      return issue(path, `gives namespace "${n.name}" (${n.name.length} characters); at most 63 are allowed`);
    });
}
