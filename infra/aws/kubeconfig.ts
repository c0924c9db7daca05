/**
 * The admin kubeconfig of an EKS cluster. It holds no credential: kubectl and the
 * Kubernetes provider run `aws eks get-token` for a short-lived token with whatever
 * AWS identity runs them (which needs an access entry, see access-entries.ts).
 * It is still a Pulumi secret: it names the endpoint and is treated like any admin file.
 */
import * as pulumi from '@pulumi/pulumi';
import { stringify } from 'yaml';

export interface KubeconfigArgs {
  readonly clusterName: string;
  readonly region: string;
  readonly endpoint: pulumi.Input<string>;
  /** Base64 PEM of the cluster CA (`certificateAuthority.data`). */
  readonly certificateAuthority: pulumi.Input<string>;
  /** AWS CLI profile to sign with. @default - the default credential chain */
  readonly profile?: string;
}

/** Builds the kubeconfig document (YAML), wrapped as a Pulumi secret. */
export function eksKubeconfig(args: KubeconfigArgs): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.all([args.endpoint, args.certificateAuthority]).apply(([server, ca]) => {
      const context = args.clusterName;
      return stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: context, cluster: { server, 'certificate-authority-data': ca } }],
        contexts: [{ name: context, context: { cluster: context, user: context } }],
        'current-context': context,
        users: [
          {
            name: context,
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1beta1',
                command: 'aws',
                args: [
                  'eks',
                  'get-token',
                  '--cluster-name',
                  args.clusterName,
                  '--region',
                  args.region,
                  '--output',
                  'json',
                ],
                ...(args.profile ? { env: [{ name: 'AWS_PROFILE', value: args.profile }] } : {}),
                interactiveMode: 'Never',
              },
            },
          },
        ],
      });
    }),
  );
}
