/**
 * The cluster's certificate authorities and the admin client certificate, generated
 * in Pulumi so the program can write the kubeconfig without reaching into a node.
 *
 * k3s uses CA certificates and keys it finds under /var/lib/rancher/k3s/server/tls
 * when it first starts, instead of generating them; it generates whatever is missing.
 * The first server therefore gets the server CA (signs the API serving certificate,
 * is the kubeconfig's trust anchor) and the client CA (signs client certificates; it
 * signs the admin certificate here). The request-header, etcd and service-account
 * keys are left to k3s and never leave the servers.
 *
 * Trade-off: the two CA private keys travel in the first server's user data (Hetzner
 * stores user data with the server; anyone with the project's API token or root on
 * that server can read it) and in the Pulumi state (encrypted as secrets). That is
 * the same trust boundary as the API token and the state backend, which can already
 * take the cluster over; in exchange nothing needs SSH from the deploy machine.
 *
 * Validity: CAs 10 years (k3s's own default; rotate with `k3s certificate rotate-ca`,
 * never by letting Pulumi replace them: the running cluster keeps its CA). The admin
 * certificate (`system:masters`) is a break-glass credential: people log in through
 * OIDC (`oidc` in the stack file). It is valid for 48 hours and re-issued by any
 * `pulumi up` in its last 24, because Kubernetes cannot revoke a client certificate:
 * a leaked copy is useful for two days at most (docs/edge.md, "Break-glass access").
 */
import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';
import type { BootFile } from './cloud-init';

const TLS_DIR = '/var/lib/rancher/k3s/server/tls';
const CA_VALIDITY_HOURS = 10 * 365 * 24;
export const ADMIN_VALIDITY_HOURS = 48;
export const ADMIN_EARLY_RENEWAL_HOURS = 24;
/** Kubernetes' built-in superuser group. */
export const ADMIN_GROUP = 'system:masters';

export interface ClusterPkiArgs {
  /** Cluster name, used in the certificates' subjects. */
  readonly clusterName: string;
  readonly tlsProvider: tls.Provider;
}

interface CertificateAuthority {
  readonly key: tls.PrivateKey;
  readonly cert: tls.SelfSignedCert;
}

export class ClusterPki extends pulumi.ComponentResource {
  /** PEM of the server CA: the kubeconfig's trust anchor. */
  readonly serverCaCertPem: pulumi.Output<string>;
  readonly adminCertPem: pulumi.Output<string>;
  /** Admin client key (secret). */
  readonly adminKeyPem: pulumi.Output<string>;
  /** The CA files the first k3s server must find at first start (secret: contains keys). */
  readonly bootFiles: pulumi.Output<BootFile[]>;

  constructor(name: string, args: ClusterPkiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:hcloud:ClusterPki', name, {}, opts);
    const child = { parent: this, provider: args.tlsProvider };
    const ca = (role: 'server' | 'client'): CertificateAuthority => {
      const key = new tls.PrivateKey(`${name}-${role}-ca-key`, { algorithm: 'ECDSA', ecdsaCurve: 'P256' }, child);
      const cert = new tls.SelfSignedCert(
        `${name}-${role}-ca`,
        {
          privateKeyPem: key.privateKeyPem,
          subject: { commonName: `k3s-${role}-ca@${args.clusterName}` },
          isCaCertificate: true,
          validityPeriodHours: CA_VALIDITY_HOURS,
          allowedUses: ['cert_signing', 'crl_signing', 'digital_signature', 'key_encipherment'],
        },
        child,
      );
      return { key, cert };
    };
    const server = ca('server');
    const client = ca('client');

    const adminKey = new tls.PrivateKey(`${name}-admin-key`, { algorithm: 'ECDSA', ecdsaCurve: 'P256' }, child);
    const adminCsr = new tls.CertRequest(
      `${name}-admin-csr`,
      {
        privateKeyPem: adminKey.privateKeyPem,
        subject: { commonName: `${args.clusterName}-admin`, organization: ADMIN_GROUP },
      },
      child,
    );
    const adminCert = new tls.LocallySignedCert(
      `${name}-admin-cert`,
      {
        certRequestPem: adminCsr.certRequestPem,
        caPrivateKeyPem: client.key.privateKeyPem,
        caCertPem: client.cert.certPem,
        validityPeriodHours: ADMIN_VALIDITY_HOURS,
        earlyRenewalHours: ADMIN_EARLY_RENEWAL_HOURS,
        allowedUses: ['digital_signature', 'key_encipherment', 'client_auth'],
      },
      child,
    );

    this.serverCaCertPem = server.cert.certPem;
    this.adminCertPem = adminCert.certPem;
    this.adminKeyPem = pulumi.secret(adminKey.privateKeyPem);
    this.bootFiles = pulumi.secret(
      pulumi
        .all([server.cert.certPem, server.key.privateKeyPem, client.cert.certPem, client.key.privateKeyPem])
        .apply(([serverCert, serverKey, clientCert, clientKey]) => [
          { path: `${TLS_DIR}/server-ca.crt`, content: serverCert, permissions: '0644' },
          { path: `${TLS_DIR}/server-ca.key`, content: serverKey, permissions: '0600' },
          { path: `${TLS_DIR}/client-ca.crt`, content: clientCert, permissions: '0644' },
          { path: `${TLS_DIR}/client-ca.key`, content: clientKey, permissions: '0600' },
        ]),
    );
    this.registerOutputs({ serverCaCertPem: this.serverCaCertPem });
  }
}
