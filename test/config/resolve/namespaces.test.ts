import { resolveAddons } from '../../../config/resolve/addons';
import { namespaceEnablement, resolveNamespaces } from '../../../config/resolve/namespaces';
import { parsedExample, parsedStaging } from './parsed';

const namespacesOf = (parsed: ReturnType<typeof parsedStaging>) =>
  resolveNamespaces(parsed, resolveAddons(parsed).addons);

describe('resolveNamespaces', () => {
  it('lists the enabled platform namespaces first, then the tenants, with prefixes and overrides', () => {
    const { namespaces, issues } = namespacesOf(parsedStaging());
    expect(issues).toEqual([]);
    const kinds = namespaces.map((n) => n.kind);
    expect(kinds.indexOf('tenant')).toBe(kinds.length - 2);
    expect(namespaces.find((n) => n.key === 'agents')).toMatchObject({
      name: 'lobstack-agents',
      kind: 'platform',
      adminGroups: [],
    });
    expect(namespaces.find((n) => n.key === 'system-upgrade')).toMatchObject({ name: 'system-upgrade' });
    expect(namespaces.find((n) => n.key === 'team-research')).toMatchObject({
      name: 'lobstack-team-research',
      kind: 'tenant',
      purpose: 'tenant namespace of team team-research',
    });
  });

  it('has no system-upgrade namespace where the provider upgrades nodes (EKS), and no agents namespace without agents', () => {
    const parsed = parsedExample('support-copilot');
    const keys = namespacesOf(parsed).namespaces.map((n) => n.key);
    expect(keys).not.toContain('system-upgrade');
    expect(keys).not.toContain('agents');
    expect(namespaceEnablement(parsed, resolveAddons(parsed).addons).inPlaceNodeUpgrades).toBe(false);
  });

  it("gives tenants the tenantDefaults' guardrails, else the environment's", () => {
    const parsed = parsedStaging((raw) => {
      raw.tenantDefaults = { ...raw.guardrails, quota: { ...raw.guardrails.quota, pods: 7 } };
    });
    const tenant = namespacesOf(parsed).namespaces.find((n) => n.kind === 'tenant')!;
    expect(tenant.quota.pods).toBe(7);
    const platform = namespacesOf(parsed).namespaces.find((n) => n.key === 'vault')!;
    expect(platform.quota).toEqual(parsed.guardrails.quota);
  });
});
