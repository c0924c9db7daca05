/**
 * The admin client certificate of the kubeconfig, signed by the cluster's own client CA
 * (read from the running cluster by cluster-ca.ts; k3s generated it). The key pair is
 * generated here, so no node, user data or SSH session is involved.
 *
 * The subject's organization is `system:masters`, Kubernetes' built-in superuser group,
 * so this is a break-glass credential: people log in through OIDC (`oidc` in the stack
 * file). It is valid for 48 hours and re-issued by any `pulumi up` in its last 24
 * (`earlyRenewalHours`: the tls provider plans a replacement once the certificate is
 * that close to its end), because Kubernetes cannot revoke a client certificate: a
 * leaked copy is useful for two days at most (docs/edge.md, "Break-glass access").
 */
import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';

export const ADMIN_VALIDITY_HOURS = 48;
export const ADMIN_EARLY_RENEWAL_HOURS = 24;
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
