/**
 * Rules of the edge model (config/schema-edge.ts) that span objects, each in one
 * place: which edge add-on runs, how an IdP group is named inside the cluster, and
 * the invariants the resolver reports (config/environment.ts calls `edgeIssues`).
 */
import type { ConfigIssue } from './errors';
import type { ParsedEnvironment } from './schema';

/** What the enablement rules read; both the parsed file and the resolved spec fit. */
export interface EdgeShape {
  readonly cloud: { readonly provider: 'hcloud' | 'aws' };
  readonly addons: {
    readonly certManager: { readonly enabled: boolean };
    readonly externalDns: { readonly enabled: boolean };
    readonly fluentBit: { readonly enabled: boolean };
    readonly falcosidekick: { readonly enabled: boolean };
    readonly falco: { readonly enabled: boolean };
    readonly kubePrometheusStack: { readonly enabled: boolean };
  };
  readonly dns?: unknown;
  readonly logs?: unknown;
}

/** Edge rules that also read the Istio toggle and the ACME settings. */
export interface EdgeShapeWithIngress extends EdgeShape {
  readonly addons: EdgeShape['addons'] & { readonly istio: { readonly enabled: boolean } };
  readonly certificates: { readonly acme?: unknown };
}

export const certManagerEnabled = (e: EdgeShape): boolean => e.addons.certManager.enabled;
/** external-dns runs only where the environment names a DNS provider and zone, and a gateway to point at. */
export const externalDnsEnabled = (e: EdgeShapeWithIngress): boolean =>
  e.addons.externalDns.enabled && e.dns !== undefined && e.addons.istio.enabled;
/** The API host's public certificate: ACME settings, cert-manager, and a gateway that serves it. */
export const acmeEnabled = (e: EdgeShapeWithIngress): boolean =>
  e.addons.certManager.enabled && e.certificates.acme !== undefined && e.addons.istio.enabled;
/** Fluent Bit runs only where the environment names a log sink. */
export const fluentBitEnabled = (e: EdgeShape): boolean => e.addons.fluentBit.enabled && e.logs !== undefined;
/** The gVisor-driver release of Falco runs wherever a pool runs gVisor (infra/addons/falco.ts). */
export const falcoGvisorEnabled = (e: {
  readonly addons: { readonly falco: { readonly enabled: boolean } };
  readonly nodePools: readonly { readonly gvisor: boolean }[];
}): boolean => e.addons.falco.enabled && e.nodePools.some((p) => p.gvisor);
/** falcosidekick needs Falco (its source) and Alertmanager (its destination). */
export const falcosidekickEnabled = (e: EdgeShape): boolean =>
  e.addons.falcosidekick.enabled && e.addons.falco.enabled && e.addons.kubePrometheusStack.enabled;

/**
 * The name a group of the identity provider has inside the cluster: the OIDC
 * `groupsPrefix` + the IdP name. Without OIDC the name is used as is (groups then
 * come from client certificates or, on EKS, access entries).
 */
export function clusterGroupName(env: { readonly oidc?: { readonly groupsPrefix: string } }, group: string): string {
  return env.oidc ? `${env.oidc.groupsPrefix}${group}` : group;
}

const issue = (path: PropertyKey[], message: string, input?: unknown): ConfigIssue => ({
  path,
  message,
  input,
  hasInput: input !== undefined,
});

/** Cross-object invariants of the edge model. */
export function edgeIssues(parsed: ParsedEnvironment): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { addons, dns } = parsed;
  const host = parsed.controlPlaneApi.host;

  if (addons.vault.enabled && !addons.certManager.enabled) {
    issues.push(
      issue(
        ['addons', 'certManager', 'enabled'],
        'must be true while addons.vault is enabled: Vault serves only TLS, from a certificate cert-manager issues',
        false,
      ),
    );
  }
  if (dns) {
    if (host !== dns.zone && !host.endsWith(`.${dns.zone}`)) {
      issues.push(
        issue(
          ['dns', 'zone'],
          `must contain controlPlaneApi.host (${host}): external-dns may only change this zone`,
          dns.zone,
        ),
      );
    }
    if (dns.provider === 'route53' && parsed.cloud.provider !== 'aws') {
      issues.push(
        issue(
          ['dns', 'provider'],
          'route53 needs cloud.provider aws (external-dns authenticates with an IRSA role)',
          dns.provider,
        ),
      );
    }
  }
  return issues;
}

/** Settings that do nothing in this environment: said once, at load, instead of silently. */
export function edgeWarnings(parsed: ParsedEnvironment): string[] {
  const { addons, certificates, dns, logs, alerting } = parsed;
  const warnings: string[] = [];
  if (certificates.acme && !acmeEnabled(parsed)) {
    warnings.push(
      'certificates.acme is ignored: the API certificate needs addons.certManager and addons.istio (the gateway serves it)',
    );
  }
  if (dns && addons.externalDns.enabled && !externalDnsEnabled(parsed)) {
    warnings.push(
      'dns is ignored: external-dns points the API host at the ingress gateway, and addons.istio is disabled',
    );
  }
  if (logs && !addons.fluentBit.enabled) warnings.push('logs is ignored: addons.fluentBit is disabled');
  if (alerting.receivers.length > 0 && !addons.kubePrometheusStack.enabled) {
    warnings.push('alerting.receivers are ignored: addons.kubePrometheusStack (Alertmanager) is disabled');
  }
  return warnings;
}

// ---------------------------------------------------------------------------
// Certificates both engines name: charts-src renders the Certificates, infra
// mounts the Secrets they produce.
// ---------------------------------------------------------------------------

/** ClusterIssuer of the platform's internal CA (in-cluster TLS: Vault). */
export const INTERNAL_CA_ISSUER = 'platform-internal-ca';
/** ClusterIssuer for public names (ACME). */
export const ACME_ISSUER = 'public-acme';
/** Vault's Helm release (StatefulSet `vault`, headless Service `vault-internal`). */
export const VAULT_SERVICE = 'vault';
/** Secret holding Vault's serving certificate, key and the internal CA (`tls.crt`, `tls.key`, `ca.crt`). */
export const VAULT_TLS_SECRET = 'vault-server-tls';
/**
 * Secret in each Vault client namespace whose `ca.crt` is the internal CA: Vault agent
 * sidecars and the API verify Vault's certificate with it. A cert-manager Certificate
 * from the internal CA produces it (every issued Secret carries the issuing CA).
 */
export const VAULT_CA_SECRET = 'vault-ca';

/** Every name Vault is reached by: the Services, each pod through the headless Service, and 127.0.0.1 (its own CLI). */
export function vaultDnsNames(namespace: string, replicas: number): string[] {
  const names = [VAULT_SERVICE, `${VAULT_SERVICE}-active`, `${VAULT_SERVICE}-standby`].flatMap((svc) => [
    `${svc}.${namespace}.svc`,
    `${svc}.${namespace}.svc.cluster.local`,
  ]);
  for (let i = 0; i < replicas; i++) {
    names.push(
      `${VAULT_SERVICE}-${i}.${VAULT_SERVICE}-internal`,
      `${VAULT_SERVICE}-${i}.${VAULT_SERVICE}-internal.${namespace}.svc`,
    );
  }
  return names;
}

/**
 * Pod ports and labels of the edge add-ons (their pinned upstream charts), read by the
 * add-on values (infra/addons) and by the network graph (charts-src).
 */
export const EDGE_ADDON_PORTS = {
  /** cert-manager: webhook (`webhook.securePort`), Prometheus metrics of every component. */
  certManager: { webhook: 10250, metrics: 9402 },
  /** external-dns: metrics and health. */
  externalDns: { metrics: 7979 },
  /** Fluent Bit: HTTP server (metrics, health; `metricsPort`). */
  fluentBit: { metrics: 2020 },
  /** falcosidekick: events in and /metrics. */
  falcosidekick: { http: 2801 },
  /** Alertmanager's API (falcosidekick posts alerts to it). */
  alertmanager: { api: 9093 },
} as const;

/** falcosidekick pods (chart selector labels: `app.kubernetes.io/name: <chart name>`). */
export const FALCOSIDEKICK_POD_LABELS = { 'app.kubernetes.io/name': 'falcosidekick' } as const;
/** Falco pods (chart selector labels). */
export const FALCO_POD_LABELS = { 'app.kubernetes.io/name': 'falco' } as const;

/** ServiceAccounts the DNS IRSA roles trust (infra/aws) and the add-ons create (infra/addons). */
export const EXTERNAL_DNS_SERVICE_ACCOUNT = 'external-dns';
export const CERT_MANAGER_SERVICE_ACCOUNT = 'cert-manager';

/** `HpaAtMaxReplicas` → `hpa-at-max-replicas`: the runbook's file name in docs/runbooks/. */
export function runbookName(alert: string): string {
  return alert.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** The runbook_url of an alert (`alerting.runbookBaseUrl`). */
export function runbookUrl(env: { readonly alerting: { readonly runbookBaseUrl: string } }, alert: string): string {
  return `${env.alerting.runbookBaseUrl}/${runbookName(alert)}.md`;
}

/** Falco events falcosidekick sends to Alertmanager directly carry this alert name. */
export const FALCO_EVENT_ALERT = 'FalcoEvent';
