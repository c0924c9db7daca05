/**
 * The cluster's OIDC identity provider in IAM, so that Kubernetes service accounts
 * can assume IAM roles (IRSA), and the trust policy that ties one role to exactly one
 * service account.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/** The audience the EKS pod identity webhook requests tokens for. */
export const IRSA_AUDIENCE = 'sts.amazonaws.com';

export interface ClusterOidcProviderArgs {
  /** The cluster's OIDC issuer URL (`https://oidc.eks.<region>.amazonaws.com/id/<id>`). */
  readonly issuerUrl: pulumi.Input<string>;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly provider: aws.Provider;
}

export class ClusterOidcProvider extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;
  /** The issuer without its scheme: the prefix of the `:sub`/`:aud` condition keys. */
  public readonly issuerHostPath: pulumi.Output<string>;

  constructor(name: string, args: ClusterOidcProviderArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:ClusterOidcProvider', name, {}, opts);
    // No thumbprint: IAM verifies the EKS issuer against its own trusted CAs, and a
    // pinned thumbprint would break at the issuer's next certificate rotation.
    const provider = new aws.iam.OpenIdConnectProvider(
      `${name}-provider`,
      { url: args.issuerUrl, clientIdLists: [IRSA_AUDIENCE], tags: { ...(args.tags ?? {}) } },
      { parent: this, provider: args.provider },
    );
    this.arn = provider.arn;
    this.issuerHostPath = pulumi.output(args.issuerUrl).apply((url) => url.replace(/^https:\/\//, ''));
    this.registerOutputs({ arn: this.arn });
  }

  /** Trust policy that lets only `namespace/serviceAccount` assume the role, with the IRSA audience. */
  assumeRolePolicyFor(namespace: string, serviceAccount: string): pulumi.Output<string> {
    return irsaTrustPolicy(this.arn, this.issuerHostPath, namespace, serviceAccount);
  }
}

/** The IRSA trust policy document (exact subject match, never a wildcard). */
export function irsaTrustPolicy(
  providerArn: pulumi.Input<string>,
  issuerHostPath: pulumi.Input<string>,
  namespace: string,
  serviceAccount: string,
): pulumi.Output<string> {
  return pulumi.all([providerArn, issuerHostPath]).apply(([arn, issuer]) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
              [`${issuer}:aud`]: IRSA_AUDIENCE,
            },
          },
        },
      ],
    }),
  );
}
