/**
 * What the mocked engine answers for the provider functions and computed outputs the
 * cloud modules read (zones, account, AMIs, endpoints, keys): no account is reached.
 * Shared by the plan of the working tree and the recording of the base (base-program.ts).
 */
import type { EnvironmentSpec } from '../../config';
import type { RecordOptions } from './record';

/** Canned answers for the provider functions the cloud modules call (no account is reached). */
export function offlineCalls(spec: EnvironmentSpec): NonNullable<RecordOptions['calls']> {
  const region = spec.cloud.region;
  return {
    'aws:index/getAvailabilityZones:getAvailabilityZones': () => ({
      names: [...spec.cloud.locations],
      zoneIds: spec.cloud.locations.map((_, i) => `use1-az${i + 1}`),
      state: 'available',
    }),
    'aws:index/getCallerIdentity:getCallerIdentity': () => ({
      accountId: '000000000000',
      arn: 'arn:aws:iam::000000000000:user/offline-plan',
      userId: 'offline-plan',
    }),
    'aws:index/getPartition:getPartition': () => ({ partition: 'aws', dnsSuffix: 'amazonaws.com' }),
    'aws:index/getRegion:getRegion': () => ({ name: region, region, id: region }),
    'aws:ssm/getParameter:getParameter': (inputs) => ({
      name: inputs.name,
      value: 'ami-00000000offline',
      type: 'String',
    }),
    'aws:ec2/getAmi:getAmi': () => ({ id: 'ami-00000000offline', imageId: 'ami-00000000offline' }),
    'aws:iam/getPolicyDocument:getPolicyDocument': (inputs) => ({ json: JSON.stringify(inputs) }),
  };
}

const PEM = (label: string) => `-----BEGIN ${label}-----\nb2ZmbGluZS1wbGFu\n-----END ${label}-----\n`;

/** Outputs providers compute, so programs that read them (endpoints, keys, ARNs) keep running. */
export const OFFLINE_OUTPUTS: NonNullable<RecordOptions['outputs']> = {
  'tls:index/privateKey:PrivateKey': () => ({
    publicKeyOpenssh: 'ssh-ed25519 AAAAoffline-plan',
    publicKeyPem: PEM('PUBLIC KEY'),
    privateKeyOpenssh: PEM('OPENSSH PRIVATE KEY'),
    privateKeyPem: PEM('PRIVATE KEY'),
    privateKeyPemPkcs8: PEM('PRIVATE KEY'),
  }),
  'tls:index/selfSignedCert:SelfSignedCert': () => ({ certPem: PEM('CERTIFICATE') }),
  'tls:index/locallySignedCert:LocallySignedCert': () => ({ certPem: PEM('CERTIFICATE') }),
  'tls:index/certRequest:CertRequest': () => ({ certRequestPem: PEM('CERTIFICATE REQUEST') }),
  'random:index/randomPassword:RandomPassword': () => ({ result: '(offline)' }),
  'random:index/randomString:RandomString': () => ({ result: '(offline)' }),
  'random:index/randomId:RandomId': () => ({ hex: '0000', b64Url: 'AAAA' }),
  'hcloud:index/server:Server': () => ({ ipv4Address: '192.0.2.10', ipv6Address: '2001:db8::10' }),
  'hcloud:index/loadBalancer:LoadBalancer': () => ({ ipv4: '192.0.2.20', ipv6: '2001:db8::20' }),
  'hcloud:index/network:Network': () => ({}),
  // infra/hcloud/cluster-ca.ts reads these from the running cluster.
  'pulumi-nodejs:dynamic:Resource': () => ({
    serverCaCertPem: PEM('CERTIFICATE'),
    clientCaCertPem: PEM('CERTIFICATE'),
    clientCaKeyPem: PEM('PRIVATE KEY'),
  }),
  'aws:eks/cluster:Cluster': (name) => ({
    arn: `arn:aws:eks:offline:000000000000:cluster/${name}`,
    endpoint: 'https://offline.eks.amazonaws.com',
    certificateAuthority: { data: 'b2ZmbGluZQ==' },
    identities: [{ oidcs: [{ issuer: 'https://oidc.eks.offline.amazonaws.com/id/OFFLINE' }] }],
  }),
  'aws:iam/role:Role': (name) => ({ arn: `arn:aws:iam::000000000000:role/${name}` }),
  'aws:eks/nodeGroup:NodeGroup': (name) => ({
    arn: `arn:aws:eks:offline:000000000000:nodegroup/${name}`,
    resources: [{ autoscalingGroups: [{ name: `eks-${name}-offline` }], remoteAccessSecurityGroupId: '' }],
    status: 'ACTIVE',
  }),
  'aws:iam/openIdConnectProvider:OpenIdConnectProvider': (name) => ({
    arn: `arn:aws:iam::000000000000:oidc-provider/${name}`,
  }),
  'aws:kms/key:Key': (name) => ({ arn: `arn:aws:kms:offline:000000000000:key/${name}` }),
};
