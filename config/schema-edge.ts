/**
 * The environment model of the platform's edge, identity and observability:
 * certificates (cert-manager), the API host's DNS record (external-dns), people's
 * OIDC login to the Kubernetes API, the API server's audit log, the node log
 * shipper's sink, and Alertmanager's receivers.
 *
 * Credentials are never values here: every one is a reference to a Kubernetes
 * Secret (created out of band or by Vault) in the namespace of the component that
 * reads it. Wired into config/schema.ts (top-level fields and add-on toggles).
 */
import { z } from 'zod';
import { dnsLabel, positiveInt, strict } from './primitives';

const toggle = { enabled: z.boolean().default(true), chartVersion: z.string().min(1).optional() };

/** Helm toggles of the add-ons this file's settings drive (spread into `addons`). */
export const edgeAddonToggles = {
  /** cert-manager: the ACME and internal CA issuers, the API and Vault certificates. */
  certManager: strict({ ...toggle }).prefault({}),
  /** external-dns for the API host; installed only when `dns` is set. */
  externalDns: strict({ ...toggle }).prefault({}),
  /** Fluent Bit on every node; installed only when `logs` is set. */
  fluentBit: strict({ ...toggle }).prefault({}),
  /** falcosidekick: Falco events to Alertmanager; installed with Falco and kube-prometheus-stack. */
  falcosidekick: strict({ ...toggle }).prefault({}),
};

const DNS_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/;
export const dnsName = z.string().regex(DNS_NAME, { error: 'must be a DNS name such as example.com' });

const httpsUrl = z
  .string()
  .regex(/^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { error: 'must be an https:// URL without query or fragment' });

const secretKeyRefObject = strict({
  /** Secret name, in the namespace of the component that reads it. */
  name: dnsLabel,
  key: z
    .string()
    .regex(/^[-._a-zA-Z0-9]+$/, { error: 'must be a Secret key: letters, digits, "-", "_", "."' })
    .max(253),
});

/**
 * A key of a Kubernetes Secret, by reference: the value never appears in the stack file.
 * A plain string here is most likely the credential itself: refused without echoing it,
 * so that the error does not copy it into a terminal or CI log.
 */
export const secretKeyRef = z.preprocess((value, ctx) => {
  if (typeof value !== 'string') return value;
  ctx.addIssue({
    code: 'custom',
    input: '[redacted]',
    message:
      'must be a Secret reference { name, key }, not a value: create the Secret and name it here (the value given is not shown)',
  });
  return z.NEVER;
}, secretKeyRefObject);
export type SecretKeyRef = z.output<typeof secretKeyRef>;

const duration = (fallback: string) =>
  z
    .string()
    .regex(/^\d+[smhd]$/, { error: 'must be a duration such as 30m, 6h or 14d' })
    .default(fallback);

export const LETS_ENCRYPT_PRODUCTION = 'https://acme-v02.api.letsencrypt.org/directory';

const certificates = strict({
  /**
   * ACME account that issues the API host's certificate into `controlPlaneApi.tlsSecretName`.
   * @default - none: that Secret is provided out of band
   */
  acme: strict({
    /** Contact for expiry and account notices. */
    email: z.email({ error: 'must be an e-mail address' }),
    server: httpsUrl.default(LETS_ENCRYPT_PRODUCTION),
  }).optional(),
  /** Renew certificates this long before they expire (cert-manager `renewBefore`). */
  renewBefore: z
    .string()
    .regex(/^\d+h$/, { error: 'must be hours, such as 720h' })
    .default('720h'),
});

export const DNS_PROVIDERS = ['route53', 'hetzner'] as const;

const dns = strict({
  /** route53 (aws, IRSA) or hetzner (Hetzner Cloud DNS through the external-dns webhook). */
  provider: z.enum(DNS_PROVIDERS),
  /** The zone external-dns may change (`--domain-filter`); the API host must be inside it. */
  zone: dnsName,
  /** route53: the hosted zone's ID; the IAM policy names only this zone. */
  hostedZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]{1,32}$/, { error: 'must be a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ' })
    .optional(),
  /** hetzner: the Hetzner Cloud API token, a Secret in the external-dns namespace. */
  tokenSecret: secretKeyRef.optional(),
}).superRefine((d, ctx) => {
  if (d.provider === 'route53' && !d.hostedZoneId) {
    ctx.addIssue({ code: 'custom', path: ['hostedZoneId'], message: 'is required for provider "route53"' });
  }
  if (d.provider === 'hetzner' && !d.tokenSecret) {
    ctx.addIssue({
      code: 'custom',
      path: ['tokenSecret'],
      message: 'is required for provider "hetzner" (a Secret holding the Hetzner Cloud API token)',
    });
  }
  if (d.provider !== 'route53' && d.hostedZoneId) {
    ctx.addIssue({ code: 'custom', path: ['hostedZoneId'], message: 'applies to provider "route53" only' });
  }
  if (d.provider !== 'hetzner' && d.tokenSecret) {
    ctx.addIssue({
      code: 'custom',
      path: ['tokenSecret'],
      message: 'applies to provider "hetzner" only (route53 uses an IRSA role)',
    });
  }
});

const claimName = z.string().regex(/^[A-Za-z0-9_:./-]+$/, { error: 'must be a claim name such as email or groups' });
const prefix = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?:$/, {
    error: 'must end in ":" and use lower-case letters, digits, "-" or ".", such as "oidc:"',
  })
  .refine((p) => !p.startsWith('system:'), { error: 'must not start with "system:" (reserved for Kubernetes)' });

const oidc = strict({
  /** Issuer URL (https); its discovery document is fetched by the API server. */
  issuerUrl: httpsUrl,
  /** The audience tokens must carry. */
  clientId: z.string().min(1),
  usernameClaim: claimName.default('email'),
  /** Prepended to every username, so an IdP user can never be a `system:` user. */
  usernamePrefix: prefix.default('oidc:'),
  groupsClaim: claimName.default('groups'),
  /**
   * Prepended to every group. Tenant `adminGroups`/`viewGroups` and `access` groups are IdP
   * group names; the platform binds `<groupsPrefix><group>`.
   */
  groupsPrefix: prefix.default('oidc:'),
});
export type OidcSpec = z.output<typeof oidc>;

const audit = strict({
  /** Days an audit log file is kept on the server (`--audit-log-maxage`). */
  maxAgeDays: positiveInt.max(365).default(30),
  /** Rotated files kept (`--audit-log-maxbackup`). */
  maxBackups: positiveInt.max(100).default(10),
  /** Size in MiB at which the file is rotated (`--audit-log-maxsize`). */
  maxSizeMiB: positiveInt.max(1024).default(100),
});

const basicAuth = strict({ username: secretKeyRef, password: secretKeyRef });

export const LOG_SINK_TYPES = ['loki', 'elasticsearch', 's3'] as const;

const logs = z.discriminatedUnion('type', [
  strict({
    type: z.literal('loki'),
    /** Loki's base URL (https); Fluent Bit pushes to /loki/api/v1/push. */
    url: httpsUrl,
    /** `X-Scope-OrgID` of a multi-tenant Loki. */
    tenantId: z.string().min(1).optional(),
    /** Secrets in the logging namespace. */
    basicAuth: basicAuth.optional(),
  }),
  strict({
    type: z.literal('elasticsearch'),
    host: dnsName,
    port: z.number().int().min(1).max(65535).default(9200),
    /** Index (or data stream) the records go to. */
    index: z.string().regex(/^[a-z0-9][-a-z0-9_.]*$/, { error: 'must be a lower-case index name' }),
    basicAuth: basicAuth.optional(),
  }),
  strict({
    type: z.literal('s3'),
    bucket: z.string().regex(/^[a-z0-9][-a-z0-9.]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' }),
    region: z.string().min(1),
    /** S3-compatible endpoint (Hetzner Object Storage, MinIO). @default - AWS S3 */
    endpoint: httpsUrl.optional(),
    /** Access key pair in the logging namespace. */
    accessKeyId: secretKeyRef,
    secretAccessKey: secretKeyRef,
  }),
]);
export type LogSinkSpec = z.output<typeof logs>;

export const ALERT_SEVERITIES = ['warning', 'critical'] as const;

const receiverBase = {
  /** Receiver name in the Alertmanager configuration. */
  name: dnsLabel,
  /** Severities routed to it. @default - every severity */
  severities: z.array(z.enum(ALERT_SEVERITIES)).min(1).optional(),
};

/** Alertmanager receivers: every credential is a Secret key in the monitoring namespace. */
const receiver = z.discriminatedUnion('type', [
  strict({ ...receiverBase, type: z.literal('webhook'), url: secretKeyRef }),
  strict({
    ...receiverBase,
    type: z.literal('slack'),
    channel: z.string().regex(/^[#@]?[-a-z0-9_.]+$/, { error: 'must be a Slack channel such as #alerts' }),
    apiUrl: secretKeyRef,
  }),
  strict({ ...receiverBase, type: z.literal('pagerduty'), routingKey: secretKeyRef }),
  strict({
    ...receiverBase,
    type: z.literal('email'),
    to: z.email({ error: 'must be an e-mail address' }),
    from: z.email({ error: 'must be an e-mail address' }),
    /** SMTP relay `host:port`. */
    smarthost: z.string().regex(/^[a-z0-9.-]+:\d+$/, { error: 'must be host:port' }),
    username: z.string().min(1).optional(),
    password: secretKeyRef.optional(),
  }),
]);
export type AlertReceiverSpec = z.output<typeof receiver>;

const alerting = strict({
  /** Where docs/runbooks/ is served; each alert's runbook_url is `<base>/<alert>.md`. */
  runbookBaseUrl: httpsUrl.default('https://github.com/lobstack/agent-platform/blob/main/docs/runbooks'),
  receivers: z
    .array(receiver)
    .default([])
    .superRefine((list, ctx) => {
      list.forEach((r, i) => {
        if (list.findIndex((o) => o.name === r.name) !== i) {
          ctx.addIssue({ code: 'custom', path: [i, 'name'], input: r.name, message: 'is used by an earlier receiver' });
        }
      });
    }),
  /** Alert when a certificate expires within this time (cert-manager renews at `renewBefore`). */
  certificateExpiresWithin: duration('14d'),
  /**
   * Alert when the last successful backup is older than this.
   * @default - `backup.rpo`: a restore would then lose more than the recovery point objective
   */
  backupLateAfter: z
    .string()
    .regex(/^\d+[smhd]$/, { error: 'must be a duration such as 30m, 6h or 14d' })
    .optional(),
  /** Alert when Fluent Bit has read records but sent none for this long. */
  logShippingStalledFor: duration('15m'),
  /** Alert when a node runs another Kubernetes minor than `kubernetes.version` for this long. */
  nodeNotUpgradedFor: duration('24h'),
});
export type AlertingSpec = z.output<typeof alerting>;

/** Top-level environment fields (spread into the environment schema). */
export const edgeFields = {
  certificates: certificates.prefault({}),
  /** DNS for the API host. @default - none: the record is managed out of band */
  dns: dns.optional(),
  /** People's login to the Kubernetes API. @default - none: only the break-glass admin credential */
  oidc: oidc.optional(),
  /** The API server's audit log (k3s; EKS ships its audit log to CloudWatch). */
  audit: audit.prefault({}),
  /** Where Fluent Bit ships container and audit logs. @default - none: logs stay on the nodes */
  logs: logs.optional(),
  alerting: alerting.prefault({}),
};
