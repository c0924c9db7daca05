import { OrchestratorRbac, ORCHESTRATOR_RULES } from '../../../charts-src/constructs/orchestrator-rbac';
import { chart, errorOf, type Obj } from './helpers';

const render = (extra: object = {}): Obj[] => {
  const c = chart();
  new OrchestratorRbac(c, 'Rbac', { namespace: 'agents', serviceAccount: { name: 'api', namespace: 'cp' }, ...extra });
  return c.toJson() as Obj[];
};

describe('OrchestratorRbac', () => {
  it('defaults: a namespaced Role with the session verbs, bound to the API ServiceAccount', () => {
    const [role, binding] = render();
    expect(role).toMatchObject({ kind: 'Role', metadata: { name: 'agent-orchestrator', namespace: 'agents' } });
    expect(role.rules).toHaveLength(ORCHESTRATOR_RULES.length);
    const verbs = Object.fromEntries(role.rules.map((r: Obj) => [r.resources[0], r.verbs]));
    expect(verbs).toEqual({
      pods: ['create', 'get', 'list', 'watch', 'patch', 'delete'],
      services: ['create', 'delete'],
      secrets: ['create', 'delete'],
      podtemplates: ['get', 'list'],
    });
    const flat = JSON.stringify(role.rules);
    for (const forbidden of [
      '*',
      'pods/exec',
      'pods/attach',
      'pods/portforward',
      'pods/log',
      'serviceaccounts/token',
      'update',
    ]) {
      expect(flat).not.toContain(`"${forbidden}"`);
    }
    expect(role.metadata.annotations['agent-platform.io/why']).toContain('secrets: one Secret per session');
    expect(binding).toMatchObject({
      kind: 'RoleBinding',
      metadata: { name: 'agent-orchestrator', namespace: 'agents' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'agent-orchestrator' },
      subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: 'cp' }],
    });
  });

  it('takes its own rules and name', () => {
    const [role, binding] = render({ name: 'reader', rules: [{ resources: ['pods'], verbs: ['get'], why: 'read' }] });
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    expect(binding.roleRef.name).toBe('reader');
  });

  it('refuses wildcards', () => {
    expect(errorOf(() => render({ rules: [{ resources: ['pods'], verbs: ['*'], why: 'x' }] }))).toBe(
      'test/Rbac: rules[0] grants verb "*"; the orchestrator gets no wildcards, no exec/attach/port-forward, no tokens and no RBAC escalation',
    );
  });

  it('refuses exec into agent pods', () => {
    expect(errorOf(() => render({ rules: [{ resources: ['pods/exec'], verbs: ['create'], why: 'debug' }] }))).toContain(
      'rules[0] grants resource "pods/exec"',
    );
  });

  it("reads no Secret: no get, list or watch (others' sessions and the KEDA connection stay unreadable)", () => {
    const [role] = render();
    const secrets = role.rules.filter((r: Obj) => r.resources.includes('secrets'));
    expect(secrets.flatMap((r: Obj) => r.verbs).sort()).toEqual(['create', 'delete']);
  });

  it('cannot create tokens or change a pod other than by patch (which admission limits to labels)', () => {
    const [role] = render();
    const granted = role.rules.flatMap((r: Obj) =>
      r.resources.flatMap((res: string) => r.verbs.map((v: string) => `${v} ${res}`)),
    );
    expect(granted).not.toContain('create serviceaccounts/token');
    expect(granted.filter((g: string) => g.startsWith('update '))).toEqual([]);
    expect(granted.filter((g: string) => g.endsWith(' pods') && /^(patch|update)/.test(g))).toEqual(['patch pods']);
  });

  it('refuses secret reads', () => {
    expect(errorOf(() => render({ rules: [{ resources: ['secrets'], verbs: ['create', 'get'], why: 'x' }] }))).toBe(
      'test/Rbac: rules[0] grants "get" on secrets; the orchestrator never reads Secrets (it would read every Secret of the namespace)',
    );
  });

  it('refuses token requests', () => {
    expect(
      errorOf(() => render({ rules: [{ resources: ['serviceaccounts/token'], verbs: ['create'], why: 'x' }] })),
    ).toContain('rules[0] grants resource "serviceaccounts/token"');
  });
});
