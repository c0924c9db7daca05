/**
 * The k3s API server's audit policy and people's OIDC login, per Kubernetes minor.
 */
import { parse } from 'yaml';
import { SUPPORTED_KUBERNETES_MINORS, compareMinors } from '../../../config';
import {
  AUTHENTICATION_CONFIG_V1_SINCE,
  apiServerArgs,
  apiServerFiles,
  auditPolicy,
} from '../../../infra/hcloud/api-server-config';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';

type Rule = { level: string; resources?: { group: string; resources?: string[] }[]; nonResourceURLs?: string[] };
const rules = auditPolicy().rules as Rule[];
/** The level the first matching rule gives a request (the API server's own order). */
function levelOf(group: string, resource: string): string {
  const rule = rules.find(
    (r) =>
      !r.nonResourceURLs &&
      (!r.resources || r.resources.some((g) => g.group === group && (!g.resources || g.resources.includes(resource)))),
  );
  return rule!.level;
}

describe('audit policy', () => {
  test('Secrets and ConfigMaps at Metadata: never their values', () => {
    expect(levelOf('', 'secrets')).toBe('Metadata');
    expect(levelOf('', 'configmaps')).toBe('Metadata');
    expect(levelOf('', 'serviceaccounts/token')).toBe('Metadata');
  });

  test('RBAC changes and exec/attach/port-forward at Request', () => {
    expect(levelOf('rbac.authorization.k8s.io', 'clusterrolebindings')).toBe('Request');
    expect(levelOf('rbac.authorization.k8s.io', 'roles')).toBe('Request');
    expect(levelOf('', 'pods/exec')).toBe('Request');
    expect(levelOf('', 'pods/portforward')).toBe('Request');
  });

  test('health checks not at all, everything else at Metadata', () => {
    expect(rules[0]).toEqual({
      level: 'None',
      nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/metrics', '/version'],
    });
    expect(levelOf('apps', 'deployments')).toBe('Metadata');
    expect(auditPolicy().omitStages).toEqual(['RequestReceived']);
  });

  test('rotation from the stack file', () => {
    const raw = rawStack('staging');
    raw.audit = { maxAgeDays: 90, maxBackups: 20, maxSizeMiB: 200 };
    expect(apiServerArgs(parseRaw(raw))).toEqual(
      expect.arrayContaining(['audit-log-maxage=90', 'audit-log-maxbackup=20', 'audit-log-maxsize=200']),
    );
  });
});

describe('OIDC login', () => {
  test('the structured authentication configuration (v1, GA since 1.34) fits every supported minor', () => {
    for (const minor of SUPPORTED_KUBERNETES_MINORS) {
      expect({ minor, atLeast: compareMinors(minor, AUTHENTICATION_CONFIG_V1_SINCE) >= 0 }).toEqual({
        minor,
        atLeast: true,
      });
    }
    const files = apiServerFiles(stackSpec('staging'));
    expect(parse(files[1]!.content).apiVersion).toBe('apiserver.config.k8s.io/v1');
    expect(apiServerArgs(stackSpec('staging'))).toContain(
      'authentication-config=/etc/rancher/k3s/authentication-config.yaml',
    );
  });

  test('without oidc: only the audit flags and the policy', () => {
    const raw = rawStack('staging');
    delete raw.oidc;
    const spec = parseRaw(raw);
    expect(apiServerArgs(spec).some((a) => a.includes('oidc') || a.includes('authentication'))).toBe(false);
    expect(apiServerFiles(spec)).toHaveLength(1);
  });

  test('the tenant group bindings name the prefixed IdP groups', () => {
    const ns = stackSpec('staging').namespaces.find((n) => n.key === 'team-research')!;
    expect(ns.adminGroups).toEqual(['oidc:research-leads']);
    expect(ns.viewGroups).toEqual(['oidc:research']);
  });
});
