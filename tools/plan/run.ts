/**
 * One offline plan: load the stack file, run the program under mocks, summarize,
 * price, and compare the price with the stack file at a base commit.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findStackFiles, loadStackFile, type EnvironmentSpec } from '../../config';
import { diffCost, estimateCost, specFromStackText, type CostDiff } from '../cost';
import { readFileAt } from '../diff/source';
import type { PlanDocument } from './markdown';
import { recordProgram, type RecordOptions } from './record';
import { summarizePlan } from './summarize';

/** What the plan runs: the platform program for one environment. */
export type PlatformProgram = (spec: EnvironmentSpec) => unknown;

export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
}

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
  // infra/hcloud/cluster-ca.ts reads these from the running cluster.
  'pulumi-nodejs:dynamic:Resource': () => ({
    serverCaCertPem: PEM('CERTIFICATE'),
    clientCaCertPem: PEM('CERTIFICATE'),
    clientCaKeyPem: PEM('PRIVATE KEY'),
  }),
  'hcloud:index/server:Server': () => ({ ipv4Address: '192.0.2.10', ipv6Address: '2001:db8::10' }),
  'hcloud:index/loadBalancer:LoadBalancer': () => ({ ipv4: '192.0.2.20', ipv6: '2001:db8::20' }),
  'hcloud:index/network:Network': () => ({}),
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

export interface PlanOptions {
  readonly stack: string;
  /** Repository root (stack files live here). */
  readonly root: string;
  readonly program: PlatformProgram;
  /** Compare the cost with the stack file at this commit. */
  readonly baseCommit?: string;
}

export async function planStack(options: PlanOptions): Promise<{ spec: EnvironmentSpec; doc: PlanDocument }> {
  const file = join(options.root, `Pulumi.${options.stack}.yaml`);
  if (!existsSync(file)) {
    const stacks = findStackFiles(options.root).map((s) => s.stack);
    throw new PlanInputError(
      `--stack ${JSON.stringify(options.stack)}: there is no Pulumi.${options.stack}.yaml (stacks: ${stacks.join(', ') || 'none'})`,
    );
  }
  const { spec, warnings } = loadStackFile(file, options.stack);
  const resources = await recordProgram(() => options.program(spec), {
    stack: options.stack,
    calls: offlineCalls(spec),
    outputs: OFFLINE_OUTPUTS,
    secretConfig: ['agent-platform:hcloudToken'],
  });
  const plan = summarizePlan(spec, resources);
  const cost = estimateCost(spec, resources);
  let costDiff: CostDiff | { unavailable: string } | undefined;
  if (options.baseCommit) {
    const path = `Pulumi.${options.stack}.yaml`;
    const text = readFileAt(options.root, options.baseCommit, path);
    if (text === undefined) {
      costDiff = {
        unavailable: `${path} does not exist at the base (${options.baseCommit.slice(0, 7)}): a new stack.`,
      };
    } else {
      try {
        const baseSpec = specFromStackText(text, options.stack, `${path} at ${options.baseCommit.slice(0, 7)}`);
        costDiff = diffCost(estimateCost(baseSpec), cost);
      } catch (error) {
        costDiff = { unavailable: `the base stack file does not load: ${(error as Error).message.split('\n')[0]}` };
      }
    }
  }
  return { spec, doc: { plan, cost, warnings, ...(costDiff ? { costDiff } : {}) } };
}
