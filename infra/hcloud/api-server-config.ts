/**
 * What the k3s servers' API server is started with beyond k3s's defaults, from the
 * environment model:
 *
 * - **Audit**: a policy file and a JSON log file the API server rotates itself
 *   (`--audit-log-maxage/maxbackup/maxsize`); Fluent Bit tails it (infra/audit-log.ts).
 *   Secrets, ConfigMaps and token requests are logged at Metadata (who, what, when:
 *   never the values); RBAC changes and exec/attach/port-forward at Request; health
 *   checks not at all; everything else at Metadata.
 * - **People's login (OIDC)**: on Kubernetes >= 1.30 an AuthenticationConfiguration
 *   file (`--authentication-config`; v1beta1 from 1.30, v1 from 1.34: KEP-3331), before
 *   that the `--oidc-*` flags (the two cannot be combined). Usernames and groups get
 *   the configured prefixes, so an IdP account can never be a `system:` user or group.
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
        resources: [{ group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/ephemeralcontainers'] }],
      },
      // Who may do what: every RBAC change with its content.
      { level: 'Request', resources: [{ group: 'rbac.authorization.k8s.io' }] },
      { level: 'Metadata' },
    ],
  };
}

/** The structured authentication configuration's apiVersion for a Kubernetes minor. */
export function authenticationConfigVersion(minor: string): string | undefined {
  const m = Number(minor.split('.')[1]);
  if (m >= 34) return 'apiserver.config.k8s.io/v1';
  if (m >= 30) return 'apiserver.config.k8s.io/v1beta1';
  return undefined;
}

export function authenticationConfig(oidc: OidcSpec, apiVersion: string): Record<string, unknown> {
  return {
    apiVersion,
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

type ApiServerSpec = Pick<EnvironmentSpec, 'kubernetes' | 'audit' | 'oidc'>;

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
  const oidc = spec.oidc;
  if (oidc) {
    if (authenticationConfigVersion(spec.kubernetes.version)) {
      args.push(`authentication-config=${AUTHENTICATION_CONFIG_PATH}`);
    } else {
      args.push(
        `oidc-issuer-url=${oidc.issuerUrl}`,
        `oidc-client-id=${oidc.clientId}`,
        `oidc-username-claim=${oidc.usernameClaim}`,
        `oidc-username-prefix=${oidc.usernamePrefix}`,
        `oidc-groups-claim=${oidc.groupsClaim}`,
        `oidc-groups-prefix=${oidc.groupsPrefix}`,
      );
    }
  }
  return args;
}

/** Files every server needs before k3s starts (the policy and, with OIDC on >= 1.30, the authentication config). */
export function apiServerFiles(spec: ApiServerSpec): BootFile[] {
  const files: BootFile[] = [
    { path: AUDIT_POLICY_PATH, content: stringify(auditPolicy(), { lineWidth: 0 }), permissions: '0600' },
  ];
  const version = authenticationConfigVersion(spec.kubernetes.version);
  if (spec.oidc && version) {
    files.push({
      path: AUTHENTICATION_CONFIG_PATH,
      content: stringify(authenticationConfig(spec.oidc, version), { lineWidth: 0 }),
      permissions: '0600',
    });
  }
  return files;
}
