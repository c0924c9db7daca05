import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import {
  ACME_ISSUER,
  acmeEnabled,
  INTERNAL_CA_ISSUER,
  VAULT_CA_SECRET,
  VAULT_TLS_SECRET,
  namespaceOf,
  schedulingFor,
  vaultDnsNames,
  type EnvironmentSpec,
} from '../../config';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages,
} from '../../imports/cert-manager-certificates-cert-manager.io';
import { ClusterIssuer } from '../../imports/cert-manager-clusterissuers-cert-manager.io';
import { SELECTOR_WAIVER } from '../constructs/network-flow';
import { PlatformChart } from './platform-chart';

/** The self-signed issuer that only signs the internal CA. */
export const SELF_SIGNED_ISSUER = 'platform-self-signed';
/** The internal CA's Certificate and Secret (in the cert-manager namespace). */
export const INTERNAL_CA_SECRET = 'platform-internal-ca';
/** The ACME account key. */
export const ACME_ACCOUNT_SECRET = 'public-acme-account';
/**
 * HTTP-01 solver pods: cert-manager's acmesolver listens on 8089
 * (cert-manager/cert-manager pkg/issuer/acme/http/pod.go, `acmeSolverListenPort`).
 * The pods carry this label (solver podTemplate) and a stable Service selects them,
 * so the API's VirtualService can route the challenge path to them.
 */
export const ACME_SOLVER_PORT = 8089;
export const ACME_SOLVER_LABELS = { 'agent-platform.io/acme-http01-solver': 'true' } as const;
export const ACME_SOLVER_SERVICE = 'acme-http01-solver';
export const ACME_CHALLENGE_PATH = '/.well-known/acme-challenge/';
/**
 * The solver Ingress cert-manager creates is served by no controller (no IngressClass
 * of this name exists): the gateway's VirtualService routes the challenge path itself,
 * next to the HTTP→HTTPS redirect, so the two never compete for the host on port 80.
 */
export const ACME_SOLVER_INGRESS_CLASS = 'acme-solver-unserved';

const CA_DURATION = '87600h';
const LEAF_DURATION = '8760h';

/** How the ACME issuer proves control of the API host: DNS-01 on Route 53, else HTTP-01 through the gateway. */
export function acmeChallenge(spec: EnvironmentSpec): 'dns01' | 'http01' {
  return spec.dns?.provider === 'route53' ? 'dns01' : 'http01';
}

/**
 * cert-manager objects (only with the cert-manager add-on):
 * - the internal CA: a self-signed issuer signs a 10-year ECDSA CA in the cert-manager
 *   namespace; the ClusterIssuer `platform-internal-ca` signs with it;
 * - Vault's serving certificate (`vault-server-tls` in the vault namespace: every
 *   Service and pod name, 127.0.0.1) and, in each Vault client namespace, `vault-ca`,
 *   whose `ca.crt` the clients verify Vault with;
 * - with `certificates.acme`: the ACME ClusterIssuer and the API host's certificate
 *   into the Secret the Gateway serves (`controlPlaneApi.tlsSecretName`, ingress
 *   namespace); HTTP-01 answered through the gateway, or DNS-01 on Route 53.
 */
export class CertificatesChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'certificates' });
    this.internalCa(spec);
    if (spec.addons.vault.enabled) this.vault(spec);
    if (acmeEnabled(spec)) this.acme(spec);
  }

  private internalCa(spec: EnvironmentSpec): void {
    new ClusterIssuer(this, 'SelfSigned', { metadata: { name: SELF_SIGNED_ISSUER }, spec: { selfSigned: {} } });
    new Certificate(this, 'InternalCa', {
      metadata: { name: INTERNAL_CA_SECRET, namespace: namespaceOf(spec, 'cert-manager').name },
      spec: {
        isCa: true,
        commonName: `${spec.name}-${spec.stack} internal CA`,
        secretName: INTERNAL_CA_SECRET,
        duration: CA_DURATION,
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 256,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.NEVER,
        },
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: SELF_SIGNED_ISSUER },
      },
    });
    new ClusterIssuer(this, 'InternalCaIssuer', {
      metadata: { name: INTERNAL_CA_ISSUER },
      spec: { ca: { secretName: INTERNAL_CA_SECRET } },
    });
  }

  private leaf(id: string, namespace: string, name: string, spec: Record<string, unknown>): void {
    new Certificate(this, id, {
      metadata: { name, namespace },
      spec: {
        secretName: name,
        duration: LEAF_DURATION,
        renewBefore: this.spec.certificates.renewBefore,
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 256,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: INTERNAL_CA_ISSUER },
        ...spec,
      },
    });
  }

  private vault(spec: EnvironmentSpec): void {
    const vaultNs = namespaceOf(spec, 'vault').name;
    this.leaf('VaultServerTls', vaultNs, VAULT_TLS_SECRET, {
      commonName: `vault.${vaultNs}.svc`,
      dnsNames: vaultDnsNames(vaultNs, spec.addons.vault.replicas),
      ipAddresses: ['127.0.0.1'],
      // Raft peers present the same certificate as clients when they join.
      usages: [CertificateSpecUsages.SERVER_AUTH, CertificateSpecUsages.CLIENT_AUTH],
    });
    // Vault's clients: the API, the agents, and the Raft snapshot job in Vault's own namespace (backup).
    const clients = [
      'control-plane',
      ...(spec.agents && spec.namespaces.some((n) => n.key === 'agents') ? ['agents'] : []),
      ...(spec.backup ? ['vault'] : []),
    ];
    for (const key of clients) {
      const ns = namespaceOf(spec, key).name;
      this.leaf(`VaultCa-${key}`, ns, VAULT_CA_SECRET, {
        commonName: `vault-client.${ns}`,
        usages: [CertificateSpecUsages.CLIENT_AUTH],
      });
    }
  }

  private acme(spec: EnvironmentSpec): void {
    const acme = spec.certificates.acme!;
    const ingressNs = namespaceOf(spec, 'ingress').name;
    const solver =
      acmeChallenge(spec) === 'dns01'
        ? {
            selector: { dnsZones: [spec.dns!.zone] },
            // Ambient credentials: the controller's IRSA role (infra/aws, Route 53, this zone only).
            dns01: { route53: { region: spec.cloud.region, hostedZoneId: spec.dns!.hostedZoneId! } },
          }
        : { http01: { ingress: this.http01Ingress(spec) } };
    new ClusterIssuer(this, 'Acme', {
      metadata: { name: ACME_ISSUER },
      spec: {
        acme: {
          email: acme.email,
          server: acme.server,
          privateKeySecretRef: { name: ACME_ACCOUNT_SECRET },
          solvers: [solver],
        },
      },
    });
    new Certificate(this, 'ApiTls', {
      metadata: { name: spec.controlPlaneApi.tlsSecretName, namespace: ingressNs },
      spec: {
        secretName: spec.controlPlaneApi.tlsSecretName,
        dnsNames: [spec.controlPlaneApi.host],
        renewBefore: spec.certificates.renewBefore,
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 256,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: ACME_ISSUER },
      },
    });
    if (acmeChallenge(spec) === 'http01') {
      new k8s.KubeService(this, 'AcmeSolver', {
        metadata: {
          name: ACME_SOLVER_SERVICE,
          namespace: ingressNs,
          annotations: {
            [SELECTOR_WAIVER]:
              "selects cert-manager's HTTP-01 solver pods, created at issuance from the ClusterIssuer's podTemplate, not in dist/",
          },
        },
        spec: {
          selector: { ...ACME_SOLVER_LABELS },
          ports: [{ name: 'http', port: ACME_SOLVER_PORT, targetPort: k8s.IntOrString.fromNumber(ACME_SOLVER_PORT) }],
        },
      });
    }
  }

  /** The HTTP-01 solver pods: labelled for the Service, outside the mesh, on the system pool. */
  private http01Ingress(spec: EnvironmentSpec) {
    const { nodeSelector, tolerations } = schedulingFor(spec.placement.system);
    return {
      ingressClassName: ACME_SOLVER_INGRESS_CLASS,
      podTemplate: {
        metadata: {
          labels: { ...ACME_SOLVER_LABELS },
          // The gateway reaches it in plaintext on port 8089; no sidecar in the way.
          annotations: { 'sidecar.istio.io/inject': 'false' },
        },
        spec: { nodeSelector: { ...nodeSelector }, tolerations: tolerations.map((t) => ({ ...t })) },
      },
    };
  }
}
