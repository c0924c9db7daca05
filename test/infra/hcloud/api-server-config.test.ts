/**
 * The k3s API server's audit policy and people's OIDC login, per Kubernetes minor.
 */
import { parse } from 'yaml';
import {
  apiServerArgs,
  apiServerFiles,
  auditPolicy,
  authenticationConfigVersion,
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
  test('structured authentication configuration: v1beta1 from 1.30, v1 from 1.34, flags before', () => {
    expect(authenticationConfigVersion('1.28')).toBeUndefined();
    expect(authenticationConfigVersion('1.31')).toBe('apiserver.config.k8s.io/v1beta1');
    expect(authenticationConfigVersion('1.34')).toBe('apiserver.config.k8s.io/v1');
  });

  test('on 1.34 the file is apiserver.config.k8s.io/v1', () => {
    const raw = rawStack('staging');
    raw.kubernetes.version = '1.34';
    const files = apiServerFiles(parseRaw(raw));
    expect(parse(files[1]!.content).apiVersion).toBe('apiserver.config.k8s.io/v1');
  });

  test('on 1.28 the --oidc-* flags, and no configuration file (the two cannot be combined)', () => {
    const raw = rawStack('staging');
    raw.kubernetes.version = '1.28';
    const spec = parseRaw(raw);
    expect(apiServerArgs(spec).filter((a) => a.startsWith('oidc-') || a.startsWith('authentication-'))).toEqual([
      'oidc-issuer-url=https://auth.lobstack.dev/realms/platform',
      'oidc-client-id=kubernetes',
      'oidc-username-claim=email',
      'oidc-username-prefix=oidc:',
      'oidc-groups-claim=groups',
      'oidc-groups-prefix=oidc:',
    ]);
    expect(apiServerFiles(spec).map((f) => f.path)).toEqual(['/etc/rancher/k3s/audit-policy.yaml']);
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
