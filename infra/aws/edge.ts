/**
 * The edge of an EKS cluster, from the environment model:
 * - with `dns.provider: route53`, two IRSA roles limited to the environment's hosted
 *   zone: external-dns (the API host's records) and cert-manager (only TXT records
 *   under `_acme-challenge.`, for DNS-01);
 * - with `oidc`, an OIDC identity provider config, so people log in with the
 *   identity provider's tokens and the platform's group bindings apply to them
 *   (EKS prefixes usernames and groups as configured; it refuses `system:` prefixes).
 *
 * Route 53 condition keys `route53:ChangeResourceRecordSetsNormalizedRecordNames`,
 * `...RecordTypes` and `...Actions`: AWS Route 53 developer guide, "Using IAM policy
 * conditions for fine-grained access control".
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  CERT_MANAGER_SERVICE_ACCOUNT,
  EXTERNAL_DNS_SERVICE_ACCOUNT,
  namespaceOf,
  type EnvironmentSpec,
} from '../../config';
import { irsaTrustPolicy } from './oidc-provider';

export interface EksEdgeArgs {
  readonly spec: EnvironmentSpec;
  readonly clusterName: pulumi.Input<string>;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuerHostPath: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly provider: aws.Provider;
}

/** The name of the people's identity provider config on the cluster. */
export const PEOPLE_IDENTITY_PROVIDER = 'people';

export class EksEdge extends pulumi.ComponentResource {
  /** IRSA role ARNs for the DNS add-ons (Route 53 environments only). */
  public readonly dnsRoles?: {
    readonly externalDns: pulumi.Output<string>;
    readonly certManager: pulumi.Output<string>;
  };
  public readonly identityProvider?: aws.eks.IdentityProviderConfig;

  constructor(name: string, args: EksEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:EksEdge', name, {}, opts);
    const { spec } = args;
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const tags = { ...(args.tags ?? {}) };

    if (spec.dns?.provider === 'route53') {
      const zoneArn = pulumi.interpolate`arn:${args.partition}:route53:::hostedzone/${spec.dns.hostedZoneId!}`;
      const role = (suffix: string, namespace: string, serviceAccount: string, policy: pulumi.Output<string>) => {
        const r = new aws.iam.Role(
          `${name}-${suffix}`,
          {
            description: `${suffix} of ${spec.name}-${spec.stack} (IRSA: ${namespace}/${serviceAccount}); Route 53 zone ${spec.dns!.zone} only`,
            assumeRolePolicy: irsaTrustPolicy(args.oidcProviderArn, args.oidcIssuerHostPath, namespace, serviceAccount),
            tags,
          },
          child,
        );
        new aws.iam.RolePolicy(`${name}-${suffix}-policy`, { role: r.name, policy }, child);
        return r.arn;
      };
      this.dnsRoles = {
        externalDns: role(
          'external-dns',
          namespaceOf(spec, 'external-dns').name,
          EXTERNAL_DNS_SERVICE_ACCOUNT,
          externalDnsPolicy(zoneArn),
        ),
        certManager: role(
          'cert-manager-dns01',
          namespaceOf(spec, 'cert-manager').name,
          CERT_MANAGER_SERVICE_ACCOUNT,
          certManagerDns01Policy(zoneArn, args.partition, spec.dns.zone),
        ),
      };
    }

    if (spec.oidc) {
      const oidc = spec.oidc;
      this.identityProvider = new aws.eks.IdentityProviderConfig(
        `${name}-people`,
        {
          clusterName: args.clusterName,
          oidc: {
            identityProviderConfigName: PEOPLE_IDENTITY_PROVIDER,
            issuerUrl: oidc.issuerUrl,
            clientId: oidc.clientId,
            usernameClaim: oidc.usernameClaim,
            usernamePrefix: oidc.usernamePrefix,
            groupsClaim: oidc.groupsClaim,
            groupsPrefix: oidc.groupsPrefix,
          },
          tags,
        },
        child,
      );
    }
    this.registerOutputs({});
  }
}

/** external-dns: change and list records of one zone; list zones to find it (Route 53 has no narrower listing). */
export function externalDnsPolicy(zoneArn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(zoneArn).apply((zone) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ChangeRecordsInZone',
          Effect: 'Allow',
          Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResource'],
          Resource: zone,
        },
        {
          Sid: 'FindZones',
          Effect: 'Allow',
          Action: ['route53:ListHostedZones', 'route53:ListTagsForResources'],
          Resource: '*',
        },
      ],
    }),
  );
}

/** cert-manager DNS-01: only TXT records named `_acme-challenge.<name>` in one zone, and reading change status. */
export function certManagerDns01Policy(
  zoneArn: pulumi.Input<string>,
  partition: pulumi.Input<string>,
  zone: string,
): pulumi.Output<string> {
  return pulumi.all([zoneArn, partition]).apply(([zoneResource, p]) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadChanges',
          Effect: 'Allow',
          Action: 'route53:GetChange',
          Resource: `arn:${p}:route53:::change/*`,
        },
        {
          Sid: 'ChallengeRecordsOnly',
          Effect: 'Allow',
          Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
          Resource: zoneResource,
          Condition: {
            'ForAllValues:StringLike': {
              'route53:ChangeResourceRecordSetsNormalizedRecordNames': [
                `_acme-challenge.${zone}`,
                `_acme-challenge.*.${zone}`,
              ],
            },
            'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
          },
        },
        {
          Sid: 'FindZone',
          Effect: 'Allow',
          Action: 'route53:ListHostedZonesByName',
          Resource: '*',
        },
      ],
    }),
  );
}
