import { join } from 'node:path';
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { loadStackFile, type NodePool } from '../../../config';
import { ClusterAdmins } from '../../../infra/aws/access-entries';
import { EbsCsiDriver } from '../../../infra/aws/ebs-csi-driver';
import { ManagedNodeGroup, type ManagedNodeGroupArgs } from '../../../infra/aws/node-group';
import { SecretsKey } from '../../../infra/aws/secrets-key';
import { VpcCniAddon } from '../../../infra/aws/vpc-cni';
import { EksVpc } from '../../../infra/aws/vpc';
import { installMocks, valueOf, type RecordedResource } from '../../support/pulumi-mocks';
import { REPO_ROOT } from '../../support/environments';

const mocks = installMocks({
  outputs: {
    'aws:eks/nodeGroup:NodeGroup': (args) => ({ resources: [{ autoscalingGroups: [{ name: `${args.name}-asg` }] }] }),
    'aws:ec2/launchTemplate:LaunchTemplate': () => ({ latestVersion: 1 }),
  },
});

const spec = loadStackFile(join(REPO_ROOT, 'examples', 'lobstack-aws', 'Pulumi.lobstack-aws.yaml')).spec;
const pool = (name: string): NodePool => spec.nodePools.find((p) => p.name === name)!;

/** Constructs components with stack capture off (jest source-maps every frame), then waits for registration. */
async function construct<T extends pulumi.ComponentResource>(make: () => T): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let component: T;
  try {
    component = make();
  } finally {
    Error.stackTraceLimit = limit;
  }
  await valueOf(component.urn);
  // Children register asynchronously; let the queue drain.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return component;
}

const provider = new aws.Provider('test-aws', { region: 'eu-central-1' });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const inputs = (r: RecordedResource): any => r.inputs;
const named = (name: string) => mocks.named(name);

describe('EksVpc', () => {
  it('defaults to a NAT gateway per zone', async () => {
    const vpc = await construct(
      () =>
        new EksVpc('vpc-default', {
          clusterName: 'c',
          region: 'eu-central-1',
          zones: ['eu-central-1a', 'eu-central-1b'],
          networkCidr: '10.0.0.0/16',
          provider,
        }),
    );
    expect(vpc.natGatewayCount).toBe(2);
    expect(mocks.ofType('aws:ec2/natGateway:NatGateway').filter((n) => n.name.startsWith('vpc-default-'))).toHaveLength(
      2,
    );
    expect(Object.keys(vpc.privateSubnetByZone)).toEqual(['eu-central-1a', 'eu-central-1b']);
  });

  it('shares one NAT gateway with natGateways: single', async () => {
    const vpc = await construct(
      () =>
        new EksVpc('vpc-single', {
          clusterName: 'c',
          region: 'eu-central-1',
          zones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
          networkCidr: '10.0.0.0/16',
          natGateways: 'single',
          provider,
        }),
    );
    expect(vpc.natGatewayCount).toBe(1);
    expect(inputs(named('vpc-single-private-eu-central-1c')).cidrBlock).toBe('10.0.64.0/19');
  });
});

describe('SecretsKey', () => {
  it('rotates yearly and waits 30 days before deletion by default', async () => {
    await construct(() => new SecretsKey('key-default', { clusterName: 'c', provider }));
    expect(inputs(named('key-default-key'))).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(inputs(named('key-default-alias')).name).toBe('alias/c-secrets');
  });

  it('takes a shorter deletion window', async () => {
    await construct(() => new SecretsKey('key-7', { clusterName: 'c', deletionWindowInDays: 7, provider }));
    expect(inputs(named('key-7-key')).deletionWindowInDays).toBe(7);
  });

  it('refuses a deletion window KMS does not allow', () => {
    expect(() => new SecretsKey('key-bad', { clusterName: 'c', deletionWindowInDays: 5, provider })).toThrow(
      "'deletionWindowInDays' (5) must be a whole number of days from 7 to 30 (the KMS limits)",
    );
  });
});

describe('ManagedNodeGroup', () => {
  const args = (extra: Partial<ManagedNodeGroupArgs> = {}): ManagedNodeGroupArgs => ({
    clusterName: 'c',
    pool: pool('api'),
    kubernetesVersion: '1.34',
    nodeRoleArn: 'arn:aws:iam::123456789012:role/nodes',
    subnetIds: ['subnet-a'],
    securityGroupId: 'sg-1',
    provider,
    ...extra,
  });

  it('replaces a third of the nodes at a time by default, with no user data outside gVisor pools', async () => {
    await construct(() => new ManagedNodeGroup('ng-default', args()));
    expect(inputs(named('ng-default-node-group')).updateConfig).toEqual({ maxUnavailablePercentage: 33 });
    expect(inputs(named('ng-default-launch-template')).userData).toBeUndefined();
    expect(inputs(named('ng-default-launch-template')).blockDeviceMappings[0].ebs.kmsKeyId).toBeUndefined();
  });

  it('takes another update pace, volume key and gVisor release', async () => {
    await construct(
      () =>
        new ManagedNodeGroup(
          'ng-options',
          args({
            pool: pool('agents'),
            maxUnavailablePercentage: 10,
            volumeKmsKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/k',
            gvisorRelease: '20250101.0',
          }),
        ),
    );
    expect(inputs(named('ng-options-node-group')).updateConfig).toEqual({ maxUnavailablePercentage: 10 });
    const lt = inputs(named('ng-options-launch-template'));
    expect(lt.blockDeviceMappings[0].ebs.kmsKeyId).toBe('arn:aws:kms:eu-central-1:123456789012:key/k');
    expect(Buffer.from(lt.userData, 'base64').toString('utf8')).toContain("RELEASE='20250101.0'");
  });

  it('tags the Auto Scaling group EKS created, by tag key', async () => {
    await construct(() => new ManagedNodeGroup('ng-tags', args({ pool: pool('agents') })));
    const tag = named('ng-tags-asg-node-template-taint-agent-platform-io-dedicated');
    expect(inputs(tag)).toEqual({
      autoscalingGroupName: 'ng-tags-node-group-asg',
      tag: {
        key: 'k8s.io/cluster-autoscaler/node-template/taint/agent-platform.io/dedicated',
        value: 'agents:NoSchedule',
        propagateAtLaunch: false,
      },
    });
  });

  it('refuses an update pace outside 1-100%', () => {
    expect(() => new ManagedNodeGroup('ng-bad', args({ maxUnavailablePercentage: 0 }))).toThrow(
      "'maxUnavailablePercentage' (0) must be a whole number from 1 to 100",
    );
  });

  it('refuses a control-plane pool', () => {
    expect(() => new ManagedNodeGroup('ng-cp', args({ pool: { ...pool('system'), role: 'control-plane' } }))).toThrow(
      'pool "system" cannot be "control-plane" on aws: EKS manages the control plane; use role "system" for add-ons',
    );
  });
});

describe('ClusterAdmins', () => {
  it('refuses an empty admin list', () => {
    expect(() => new ClusterAdmins('admins', { clusterName: 'c', principals: {}, partition: 'aws', provider })).toThrow(
      "'principals' is empty: a cluster in API authentication mode needs at least one admin access entry",
    );
  });
});

describe('managed add-ons', () => {
  const k8sProvider = new k8s.Provider('test-k8s', { kubeconfig: 'apiVersion: v1' });

  it('leaves add-on versions to EKS by default and pins them when asked', async () => {
    await construct(() => new VpcCniAddon('cni-default', { clusterName: 'c', provider }));
    await construct(
      () => new VpcCniAddon('cni-pinned', { clusterName: 'c', addonVersion: 'v1.20.4-eksbuild.1', provider }),
    );
    expect(inputs(named('cni-default-addon')).addonVersion).toBeUndefined();
    expect(inputs(named('cni-default-addon'))).toMatchObject({
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
    });
    expect(inputs(named('cni-pinned-addon')).addonVersion).toBe('v1.20.4-eksbuild.1');
    await construct(
      () =>
        new EbsCsiDriver('ebs-pinned', {
          clusterName: 'c',
          oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/x',
          oidcIssuerHostPath: 'x',
          partition: 'aws',
          addonVersion: 'v1.50.0-eksbuild.1',
          provider,
          kubernetesProvider: k8sProvider,
        }),
    );
    expect(inputs(named('ebs-pinned-addon')).addonVersion).toBe('v1.50.0-eksbuild.1');
    expect(inputs(named('ebs-pinned-policy')).policyArn).toBe(
      'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
    );
  });
});
