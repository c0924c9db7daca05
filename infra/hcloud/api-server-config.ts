/**
 * What the k3s servers' API server is started with beyond k3s's defaults, from the
 * environment model:
 *
 * - **Audit**: a policy file and a JSON log file the API server rotates itself
 *   (`--audit-log-maxage/maxbackup/maxsize`); Fluent Bit tails it (infra/audit-log.ts).
 *   Secrets, ConfigMaps and token requests are logged at Metadata (who, what, when:
 *   never the values); RBAC changes and exec/attach/port-forward at Request; health
 *   checks not at all; everything else at Metadata.
 * - **People's login (OIDC)**: an AuthenticationConfiguration file
 *   (`--authentication-config`, apiserver.config.k8s.io/v1, GA since Kubernetes 1.34:
 *   KEP-3331; every minor in config/kubernetes-support.ts is newer). Usernames and
 *   groups get the configured prefixes, so an IdP account can never be a `system:`
 *   user or group.
 *
 * Neither file holds a secret: the OIDC client is public (the API server only
 * verifies tokens), so both may travel in user data.
 */
import { stringify } from 'yaml';
import type { EnvironmentSpec, OidcSpec } from '../../config';
import { AUDIT_LOG_PATH } from '../audit-log';
import type { BootFile } from './cloud-init';

export const AUDIT_POLICY_PATH = '/etc/rancher/k3s/audit-policy.yaml';
export const AUTHENTICATION_CONFIG_PATH = '/etc/rancher/k3s/authentication-config.yaml';

/** The audit policy (audit.k8s.io/v1). First matching rule wins. */
export function auditPolicy(): Record<string, unknown> {
  return {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [
      // Health checks and metrics: nothing.
      { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/metrics', '/version'] },
      // Leader-election renewals (every few seconds per controller): noise, not actions.
      { level: 'None', verbs: ['get', 'update'], resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] },
      // Anything that carries credentials: metadata only, never the body.
      {
        level: 'Metadata',
        resources: [
          { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
          { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
        ],
      },
      // Interactive access to running pods: who ran what where.
      {
        level: 'Request',
        resources: [
          { group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/ephemeralcontainers'] },
        ],
      },
      // Who may do what: every RBAC change with its content.
      { level: 'Request', resources: [{ group: 'rbac.authorization.k8s.io' }] },
      { level: 'Metadata' },
    ],
  };
}

/** The first minor whose API server reads apiserver.config.k8s.io/v1 AuthenticationConfiguration. */
export const AUTHENTICATION_CONFIG_V1_SINCE = '1.34';

export function authenticationConfig(oidc: OidcSpec): Record<string, unknown> {
  return {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    jwt: [
      {
        issuer: { url: oidc.issuerUrl, audiences: [oidc.clientId] },
        claimMappings: {
          username: { claim: oidc.usernameClaim, prefix: oidc.usernamePrefix },
          groups: { claim: oidc.groupsClaim, prefix: oidc.groupsPrefix },
        },
      },
    ],
  };
}

type ApiServerSpec = Pick<EnvironmentSpec, 'audit' | 'oidc'>;

/** `kube-apiserver-arg` values (k3s config key) of every server. */
export function apiServerArgs(spec: ApiServerSpec): string[] {
  const args = [
    `audit-policy-file=${AUDIT_POLICY_PATH}`,
    `audit-log-path=${AUDIT_LOG_PATH}`,
    'audit-log-format=json',
    `audit-log-maxage=${spec.audit.maxAgeDays}`,
    `audit-log-maxbackup=${spec.audit.maxBackups}`,
    `audit-log-maxsize=${spec.audit.maxSizeMiB}`,
  ];
  if (spec.oidc) args.push(`authentication-config=${AUTHENTICATION_CONFIG_PATH}`);
  return args;
}

/** Files every server needs before k3s starts: the audit policy and, with OIDC, the authentication config. */
export function apiServerFiles(spec: ApiServerSpec): BootFile[] {
  const files: BootFile[] = [
    { path: AUDIT_POLICY_PATH, content: stringify(auditPolicy(), { lineWidth: 0 }), permissions: '0600' },
  ];
  if (spec.oidc) {
    files.push({
      path: AUTHENTICATION_CONFIG_PATH,
      content: stringify(authenticationConfig(spec.oidc), { lineWidth: 0 }),
      permissions: '0600',
    });
  }
  return files;
}
