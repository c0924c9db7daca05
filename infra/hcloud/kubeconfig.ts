/**
 * The admin kubeconfig, built locally from the certificates the program generated
 * (admin-certificate.ts, signed by the client CA read by cluster-ca.ts): no SSH to a
 * server, no reading files off a node.
 *
 * One cluster entry and context per control-plane server (its public IP, which the
 * firewall opens to the admin CIDRs only); the current context is the first server.
 * k3s's serving certificate does not name the public IPs, so every entry verifies
 * the certificate against `kubernetes`, a name k3s always includes.
 */
import { stringify } from 'yaml';

export interface KubeconfigArgs {
  /** Cluster name, e.g. `lobstack-staging`. */
  readonly name: string;
  /** Public IPv4 addresses of the control-plane servers, first one current. */
  readonly endpoints: readonly string[];
  readonly port: number;
  /** PEM of the CA that signs the API serving certificate (k3s server CA). */
  readonly caCertPem: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
  /**
   * Name the serving certificate is verified against.
   * @default 'kubernetes'
   */
  readonly tlsServerName?: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export function buildKubeconfig(args: KubeconfigArgs): string {
  if (args.endpoints.length === 0) throw new Error('a kubeconfig needs at least one API endpoint');
  const user = `${args.name}-admin`;
  const entries = args.endpoints.map((ip, i) => ({ name: `${args.name}-${i}`, ip }));
  return stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: entries.map((e) => ({
        name: e.name,
        cluster: {
          server: `https://${e.ip}:${args.port}`,
          'certificate-authority-data': b64(args.caCertPem),
          'tls-server-name': args.tlsServerName ?? 'kubernetes',
        },
      })),
      users: [
        {
          name: user,
          user: { 'client-certificate-data': b64(args.clientCertPem), 'client-key-data': b64(args.clientKeyPem) },
        },
      ],
      contexts: entries.map((e) => ({ name: e.name, context: { cluster: e.name, user } })),
      'current-context': entries[0]!.name,
    },
    { lineWidth: 0 },
  );
}
