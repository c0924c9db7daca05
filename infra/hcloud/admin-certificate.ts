/**
 * The admin client certificate of the kubeconfig, signed by the cluster's own client CA
 * (read from the running cluster by cluster-ca.ts; k3s generated it). The key pair is
 * generated here, so no node, user data or SSH session is involved.
 *
 * Validity: one year, renewed by `pulumi up` in its last 30 days. The subject's
 * organization is `system:masters`, Kubernetes' built-in superuser group.
 */
import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';

const ADMIN_VALIDITY_HOURS = 365 * 24;
const ADMIN_EARLY_RENEWAL_HOURS = 30 * 24;
/** Kubernetes' built-in superuser group. */
export const ADMIN_GROUP = 'system:masters';

export interface AdminCertificateArgs {
  /** Cluster name, used in the certificate's subject. */
  readonly clusterName: string;
  readonly clientCaCertPem: pulumi.Input<string>;
  /** Secret. */
  readonly clientCaKeyPem: pulumi.Input<string>;
  readonly tlsProvider: tls.Provider;
}

export class AdminCertificate extends pulumi.ComponentResource {
  readonly certPem: pulumi.Output<string>;
  /** Secret. */
  readonly keyPem: pulumi.Output<string>;

  constructor(name: string, args: AdminCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:hcloud:AdminCertificate', name, {}, opts);
    const child = { parent: this, provider: args.tlsProvider };
    const key = new tls.PrivateKey(`${name}-key`, { algorithm: 'ECDSA', ecdsaCurve: 'P256' }, child);
    const csr = new tls.CertRequest(
      `${name}-csr`,
      {
        privateKeyPem: key.privateKeyPem,
        subject: { commonName: `${args.clusterName}-admin`, organization: ADMIN_GROUP },
      },
      child,
    );
    const cert = new tls.LocallySignedCert(
      `${name}-cert`,
      {
        certRequestPem: csr.certRequestPem,
        caPrivateKeyPem: pulumi.secret(args.clientCaKeyPem),
        caCertPem: args.clientCaCertPem,
        validityPeriodHours: ADMIN_VALIDITY_HOURS,
        earlyRenewalHours: ADMIN_EARLY_RENEWAL_HOURS,
        allowedUses: ['digital_signature', 'key_encipherment', 'client_auth'],
      },
      child,
    );
    this.certPem = cert.certPem;
    this.keyPem = pulumi.secret(key.privateKeyPem);
    this.registerOutputs({});
  }
}
