import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { GVISOR_RELEASE, loadStackFile, nodeLabels, readStackConfig, type EnvironmentSpec } from '../../../config';
import type { ClusterResult } from '../../../infra/cluster';
import { installMocks, isSecret, valueOf, type Mocks, type RecordedResource } from '../../support/pulumi-mocks';
import { parseRaw, REPO_ROOT } from '../../support/environments';

const EXAMPLE = join(REPO_ROOT, 'examples', 'lobstack-aws', 'Pulumi.lobstack-aws.yaml');
const ACCOUNT = '123456789012';
const ISSUER = 'https://oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF';
const DEPLOYER_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/platform-deployer/ci-run-42`;
const DEPLOYER_ROLE = `arn:aws:iam::${ACCOUNT}:role/platform-deployer`;

const mocks: Mocks = installMocks({
  stack: 'lobstack-aws',
  calls: {
    // The default add-on version EKS offers for a minor (here: which minor was asked).
    'aws:eks/getAddonVersion:getAddonVersion': (args) => ({
      ...args.inputs,
      version: `${args.inputs.addonName}@${args.inputs.kubernetesVersion}`,
    }),
    'aws:index/getPartition:getPartition': () => ({ id: 'aws', partition: 'aws', dnsSuffix: 'amazonaws.com' }),
    'aws:index/getCallerIdentity:getCallerIdentity': () => ({
      id: ACCOUNT,
      accountId: ACCOUNT,
      arn: DEPLOYER_SESSION,
      userId: 'AROAEXAMPLE:ci-run-42',
    }),
    'aws:iam/getSessionContext:getSessionContext': (args) => ({
      id: args.inputs.arn,
      arn: args.inputs.arn,
      issuerArn: DEPLOYER_ROLE,
      issuerId: 'AROAEXAMPLE',
      issuerName: 'platform-deployer',
      sessionName: 'ci-run-42',
    }),
  },
  outputs: {
    'aws:eks/cluster:Cluster': (args) => ({
      arn: `arn:aws:eks:eu-central-1:${ACCOUNT}:cluster/${args.inputs.name}`,
      endpoint: 'https://0123456789ABCDEF.gr7.eu-central-1.eks.amazonaws.com',
      certificateAuthority: { data: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t' },
      identities: [{ oidcs: [{ issuer: ISSUER }] }],
      vpcConfig: { ...args.inputs.vpcConfig, clusterSecurityGroupId: 'sg-0cluster' },
    }),
    'aws:iam/openIdConnectProvider:OpenIdConnectProvider': () => ({
      arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF`,
    }),
    'aws:ec2/launchTemplate:LaunchTemplate': () => ({ latestVersion: 3 }),
    'aws:eks/nodeGroup:NodeGroup': (args) => ({
      resources: [{ autoscalingGroups: [{ name: `eks-${args.name}-asg` }] }],
    }),
  },
});

interface Built {
  readonly result: ClusterResult;
  readonly resources: RecordedResource[];
  /** Resource options as the program passed them, by logical name. */
  readonly options: Map<string, pulumi.ResourceOptions & { type: string }>;
}

/** Builds a cluster, waits until every resource is registered, and returns what the mocks saw. */
async function build(name: string, spec: EnvironmentSpec, args: object = {}): Promise<Built> {
  const { createEksCluster } = await import('../../../infra/aws');
  const created: pulumi.Resource[] = [];
  const options = new Map<string, pulumi.ResourceOptions & { type: string }>();
  const record: pulumi.ResourceTransformation = ({ resource, type, name: resourceName, opts }) => {
    created.push(resource);
    options.set(resourceName, { ...opts, type });
    return undefined;
  };
  // Pulumi captures a stack trace per resource (source positions) and jest source-maps
  // every frame of it: about 50 ms a resource. Nothing here reads them.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let result: ClusterResult;
  try {
    result = createEksCluster(name, spec, args, { transformations: [record] });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  await valueOf(result.kubeconfig);
  // Settle: wait for every resource's URN, repeating while new resources appear.
  let seen = -1;
  while (seen !== created.length) {
    seen = created.length;
    await Promise.all(created.map((r) => valueOf(r.urn)));
  }
  const names = new Set(created.map((r) => (r as unknown as { __name: string }).__name));
  return { result, resources: mocks.resources.filter((r) => names.has(r.name)), options };
}

const exampleSpec = loadStackFile(EXAMPLE).spec;
const prodSpec = (): EnvironmentSpec => {
  const raw = readStackConfig(EXAMPLE) as Record<string, unknown>;
  return parseRaw({ ...raw, stage: 'prod' }, 'lobstack-aws-prod');
};

describe('createEksCluster (examples/lobstack-aws)', () => {
  let built: Built;
  const ofType = (type: string) => built.resources.filter((r) => r.type === type);
  const one = (type: string) => {
    const found = ofType(type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0]!;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const inputs = (r: RecordedResource): any => r.inputs;

  beforeAll(async () => {
    built = await build('lab', exampleSpec);
  });

  describe('provider', () => {
    it('creates one explicit AWS provider in the environment region and uses it everywhere', () => {
      const provider = one('pulumi:providers:aws');
      expect(provider.name).toBe('lab-aws');
      expect(inputs(provider).region).toBe('eu-central-1');
      const awsResources = built.resources.filter((r) => r.type.startsWith('aws:'));
      expect(awsResources.length).toBeGreaterThan(40);
      for (const r of awsResources) expect(r.provider).toMatch(/pulumi:providers:aws::lab-aws::/);
    });

    it('creates an explicit Kubernetes provider from the kubeconfig, used by the StorageClass', () => {
      const k8sProvider = one('pulumi:providers:kubernetes');
      expect(k8sProvider.name).toBe('lab-k8s');
      expect(inputs(k8sProvider).enableServerSideApply).toBe('true');
      const storageClass = one('kubernetes:storage.k8s.io/v1:StorageClass');
      expect(storageClass.provider).toMatch(/pulumi:providers:kubernetes::lab-k8s::/);
    });
  });

  describe('network', () => {
    it('builds a VPC with DNS support over the environment range', () => {
      expect(inputs(one('aws:ec2/vpc:Vpc'))).toMatchObject({
        cidrBlock: '10.30.0.0/16',
        enableDnsSupport: true,
        enableDnsHostnames: true,
      });
    });

    it('has a private and a public subnet in each of the three zones, tagged for load balancers', () => {
      const subnets = ofType('aws:ec2/subnet:Subnet').map((s) => ({
        name: s.name,
        zone: inputs(s).availabilityZone,
        cidr: inputs(s).cidrBlock,
        publicIp: inputs(s).mapPublicIpOnLaunch,
        role: inputs(s).tags['kubernetes.io/role/internal-elb']
          ? 'internal-elb'
          : inputs(s).tags['kubernetes.io/role/elb']
            ? 'elb'
            : '',
        cluster: inputs(s).tags['kubernetes.io/cluster/lobstack-lobstack-aws'],
      }));
      expect(subnets).toEqual(
        expect.arrayContaining([
          {
            name: 'lab-network-private-eu-central-1a',
            zone: 'eu-central-1a',
            cidr: '10.30.0.0/19',
            publicIp: false,
            role: 'internal-elb',
            cluster: 'shared',
          },
          {
            name: 'lab-network-private-eu-central-1b',
            zone: 'eu-central-1b',
            cidr: '10.30.32.0/19',
            publicIp: false,
            role: 'internal-elb',
            cluster: 'shared',
          },
          {
            name: 'lab-network-private-eu-central-1c',
            zone: 'eu-central-1c',
            cidr: '10.30.64.0/19',
            publicIp: false,
            role: 'internal-elb',
            cluster: 'shared',
          },
          {
            name: 'lab-network-public-eu-central-1a',
            zone: 'eu-central-1a',
            cidr: '10.30.224.0/22',
            publicIp: false,
            role: 'elb',
            cluster: 'shared',
          },
          {
            name: 'lab-network-public-eu-central-1b',
            zone: 'eu-central-1b',
            cidr: '10.30.228.0/22',
            publicIp: false,
            role: 'elb',
            cluster: 'shared',
          },
          {
            name: 'lab-network-public-eu-central-1c',
            zone: 'eu-central-1c',
            cidr: '10.30.232.0/22',
            publicIp: false,
            role: 'elb',
            cluster: 'shared',
          },
        ]),
      );
      expect(subnets).toHaveLength(6);
    });

    it('routes private subnets through one shared NAT gateway outside prod', () => {
      const nats = ofType('aws:ec2/natGateway:NatGateway');
      expect(nats.map((n) => n.name)).toEqual(['lab-network-nat-eu-central-1a']);
      expect(inputs(nats[0]!).subnetId).toBe('lab-network-public-eu-central-1a-id');
      const privateRoutes = ofType('aws:ec2/routeTable:RouteTable').filter((r) => r.name.includes('-private-routes-'));
      expect(privateRoutes).toHaveLength(3);
      for (const table of privateRoutes) {
        expect(inputs(table).routes).toEqual([
          expect.objectContaining({ cidrBlock: '0.0.0.0/0', natGatewayId: 'lab-network-nat-eu-central-1a-id' }),
        ]);
      }
    });
  });

  describe('control plane', () => {
    it('runs the configured Kubernetes version in the private subnets', () => {
      const cluster = inputs(one('aws:eks/cluster:Cluster'));
      expect(cluster.name).toBe('lobstack-lobstack-aws');
      expect(cluster.version).toBe('1.35');
      expect(cluster.vpcConfig.subnetIds).toEqual([
        'lab-network-private-eu-central-1a-id',
        'lab-network-private-eu-central-1b-id',
        'lab-network-private-eu-central-1c-id',
      ]);
    });

    it('keeps the private endpoint on and opens the public one to adminCidrs only', () => {
      expect(inputs(one('aws:eks/cluster:Cluster')).vpcConfig).toMatchObject({
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: ['203.0.113.0/24', '198.51.100.17/32'],
      });
    });

    it('sends every control-plane log type to a log group with 90 days retention', () => {
      expect(inputs(one('aws:eks/cluster:Cluster')).enabledClusterLogTypes).toEqual([
        'api',
        'audit',
        'authenticator',
        'controllerManager',
        'scheduler',
      ]);
      expect(inputs(one('aws:cloudwatch/logGroup:LogGroup'))).toMatchObject({
        name: '/aws/eks/lobstack-lobstack-aws/cluster',
        retentionInDays: 90,
      });
      expect(built.options.get('lab-cluster')!.dependsOn).toEqual(
        expect.arrayContaining([expect.objectContaining({ __name: 'lab-control-plane-logs' })]),
      );
    });

    it('envelope-encrypts Secrets with its own rotating KMS key', () => {
      const key = one('aws:kms/key:Key');
      expect(inputs(key)).toMatchObject({
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        keyUsage: 'ENCRYPT_DECRYPT',
        customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      });
      expect(inputs(one('aws:kms/alias:Alias')).name).toBe('alias/lobstack-lobstack-aws-secrets');
      expect(inputs(one('aws:eks/cluster:Cluster')).encryptionConfig).toEqual({
        provider: { keyArn: 'arn:aws:mock:::lab-secrets-key-key' },
        resources: ['secrets'],
      });
      const rolePolicy = JSON.parse(
        inputs(built.resources.find((r) => r.name === 'lab-cluster-role-secrets-encryption')!).policy,
      );
      expect(rolePolicy.Statement[0]).toEqual({
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
        Resource: 'arn:aws:mock:::lab-secrets-key-key',
      });
    });

    it('gives the control plane a role EKS can assume, with the cluster policy', () => {
      const role = built.resources.find((r) => r.name === 'lab-cluster-role-role')!;
      expect(JSON.parse(inputs(role).assumeRolePolicy).Statement[0].Principal).toEqual({
        Service: 'eks.amazonaws.com',
      });
      expect(inputs(built.resources.find((r) => r.name === 'lab-cluster-role-cluster-policy')!).policyArn).toBe(
        'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
      );
    });

    it('is not protected outside prod', () => {
      expect(inputs(one('aws:eks/cluster:Cluster')).deletionProtection).toBe(false);
      expect(built.options.get('lab-cluster')!.protect).toBe(false);
      expect(built.options.get('lab-secrets-key')!.protect).toBe(false);
      expect(built.options.get('lab-network')!.protect).toBe(false);
    });
  });

  describe('access', () => {
    it('uses API authentication without the implicit creator grant', () => {
      expect(inputs(one('aws:eks/cluster:Cluster')).accessConfig).toEqual({
        authenticationMode: 'API',
        bootstrapClusterCreatorAdminPermissions: false,
      });
    });

    it('makes the deploying IAM role (not its STS session) cluster admin through an access entry', () => {
      const entry = one('aws:eks/accessEntry:AccessEntry');
      expect(inputs(entry)).toMatchObject({
        clusterName: 'lobstack-lobstack-aws',
        principalArn: DEPLOYER_ROLE,
        type: 'STANDARD',
        kubernetesGroups: ['agent-platform:deployers'],
      });
      expect(inputs(one('aws:eks/accessPolicyAssociation:AccessPolicyAssociation'))).toEqual({
        clusterName: 'lobstack-lobstack-aws',
        principalArn: DEPLOYER_ROLE,
        policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
        accessScope: { type: 'cluster' },
      });
    });

    it('makes the kubeconfig a secret that gets tokens from `aws eks get-token`', async () => {
      expect(await isSecret(built.result.kubeconfig)).toBe(true);
      const kubeconfig = parse(await valueOf(built.result.kubeconfig));
      expect(kubeconfig.clusters[0].cluster).toEqual({
        server: 'https://0123456789ABCDEF.gr7.eu-central-1.eks.amazonaws.com',
        'certificate-authority-data': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
      });
      expect(kubeconfig.users[0].user.exec).toEqual({
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: [
          'eks',
          'get-token',
          '--cluster-name',
          'lobstack-lobstack-aws',
          '--region',
          'eu-central-1',
          '--output',
          'json',
        ],
        interactiveMode: 'Never',
      });
      expect(JSON.stringify(kubeconfig)).not.toMatch(/token:|client-key/);
      expect(built.result.name).toBe('lobstack-lobstack-aws');
    });

    it('lets the Kubernetes provider act only after the admin access exists', () => {
      expect(built.options.get('lab-k8s')!.dependsOn).toEqual([
        expect.objectContaining({ __name: 'lab-admins-deployer-cluster-admin' }),
      ]);
    });
  });

  describe('service-account roles (IRSA)', () => {
    it('registers the cluster issuer as an OIDC provider for STS', () => {
      expect(inputs(one('aws:iam/openIdConnectProvider:OpenIdConnectProvider'))).toMatchObject({
        url: ISSUER,
        clientIdLists: ['sts.amazonaws.com'],
      });
    });

    it('trusts exactly the autoscaler service account on that provider', () => {
      const role = built.resources.find((r) => r.name === 'lab-autoscaler-role')!;
      expect(JSON.parse(inputs(role).assumeRolePolicy)).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF`,
            },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                'oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF:sub':
                  'system:serviceaccount:kube-system:cluster-autoscaler',
                'oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF:aud': 'sts.amazonaws.com',
              },
            },
          },
        ],
      });
    });

    it('lets the autoscaler resize only Auto Scaling groups owned by this cluster', () => {
      const policy = JSON.parse(inputs(built.resources.find((r) => r.name === 'lab-autoscaler-policy')!).policy);
      const scale = policy.Statement.find((s: { Sid: string }) => s.Sid === 'ScaleOwnedGroups');
      expect(scale).toEqual({
        Sid: 'ScaleOwnedGroups',
        Effect: 'Allow',
        Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        Resource: '*',
        Condition: {
          StringEquals: {
            'aws:ResourceTag/k8s.io/cluster-autoscaler/lobstack-lobstack-aws': 'owned',
            'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
          },
        },
      });
      const describe = policy.Statement.find((s: { Sid: string }) => s.Sid === 'DescribeOwnNodeGroups');
      expect(describe.Resource).toBe(`arn:aws:eks:eu-central-1:${ACCOUNT}:nodegroup/lobstack-lobstack-aws/*`);
      const discover = policy.Statement.find((s: { Sid: string }) => s.Sid === 'Discover');
      expect(discover.Action.every((a: string) => /:(Describe|Get)/.test(a))).toBe(true);
    });

    it('hands the add-on layer auto-discovery by tags, the region and the role annotation', async () => {
      const { autoscaler } = built.result;
      expect(autoscaler.cloudProvider).toBe('aws');
      expect(autoscaler.args).toEqual([
        '--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/lobstack-lobstack-aws',
      ]);
      expect(autoscaler.env).toEqual({ AWS_REGION: 'eu-central-1' });
      expect(await valueOf(autoscaler.serviceAccountAnnotations!['eks.amazonaws.com/role-arn']!)).toBe(
        'arn:aws:mock:::lab-autoscaler-role',
      );
    });

    it('gives the AWS Load Balancer Controller (the gateway asks for an NLB) an IRSA role with upstream policy', async () => {
      const role = built.resources.find((r) => r.name === 'lab-lb-controller-role')!;
      const condition = JSON.parse(inputs(role).assumeRolePolicy).Statement[0].Condition.StringEquals;
      expect(condition).toEqual({
        'oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF:sub':
          'system:serviceaccount:kube-system:aws-load-balancer-controller',
        'oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF:aud': 'sts.amazonaws.com',
      });
      const policy = JSON.parse(inputs(built.resources.find((r) => r.name === 'lab-lb-controller-policy')!).policy);
      expect(policy).toEqual(
        JSON.parse(
          readFileSync(join(REPO_ROOT, 'infra/aws/policies/aws-load-balancer-controller-v3.5.0.json'), 'utf8'),
        ),
      );
      const aws = built.result.aws!;
      expect(aws.region).toBe('eu-central-1');
      expect(await valueOf(aws.vpcId)).toBe('lab-network-vpc-id');
      expect(await valueOf(aws.loadBalancerControllerRoleArn!)).toBe('arn:aws:mock:::lab-lb-controller-role');
    });

    it('gives the EBS CSI controller its own IRSA role and a default encrypted gp3 StorageClass', () => {
      const role = built.resources.find((r) => r.name === 'lab-ebs-csi-role')!;
      const condition = JSON.parse(inputs(role).assumeRolePolicy).Statement[0].Condition.StringEquals;
      expect(condition['oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF:sub']).toBe(
        'system:serviceaccount:kube-system:ebs-csi-controller-sa',
      );
      const addon = ofType('aws:eks/addon:Addon').find((a) => inputs(a).addonName === 'aws-ebs-csi-driver')!;
      expect(inputs(addon).serviceAccountRoleArn).toBe('arn:aws:mock:::lab-ebs-csi-role');
      expect(inputs(one('kubernetes:storage.k8s.io/v1:StorageClass'))).toMatchObject({
        metadata: { name: 'gp3-encrypted', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', encrypted: 'true' },
        volumeBindingMode: 'WaitForFirstConsumer',
      });
    });
  });

  describe('nodes', () => {
    const nodeGroup = (pool: string) => inputs(built.resources.find((r) => r.name === `lab-${pool}-node-group`)!);
    const launchTemplate = (pool: string) =>
      inputs(built.resources.find((r) => r.name === `lab-${pool}-launch-template`)!);

    it('turns on VPC CNI NetworkPolicy enforcement before any node group exists', () => {
      const cni = ofType('aws:eks/addon:Addon').find((a) => inputs(a).addonName === 'vpc-cni')!;
      expect(JSON.parse(inputs(cni).configurationValues)).toEqual({ enableNetworkPolicy: 'true' });
      for (const pool of ['system', 'api', 'agents']) {
        expect(built.options.get(`lab-${pool}`)!.dependsOn).toEqual(
          expect.arrayContaining([expect.objectContaining({ __name: 'lab-vpc-cni-addon' })]),
        );
      }
    });

    it('gives nodes a role with the worker, CNI, ECR read-only and SSM policies', () => {
      const attached = ofType('aws:iam/rolePolicyAttachment:RolePolicyAttachment')
        .filter((r) => r.name.startsWith('lab-node-role-'))
        .map((r) => inputs(r).policyArn)
        .sort();
      expect(attached).toEqual([
        'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
        'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
        'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
        'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
      ]);
    });

    it('creates one managed node group per pool with its type, capacity type and scaling bounds', () => {
      const groups = ofType('aws:eks/nodeGroup:NodeGroup').map((g) => ({
        name: g.name,
        types: inputs(g).instanceTypes,
        capacity: inputs(g).capacityType,
        scaling: inputs(g).scalingConfig,
        ami: inputs(g).amiType,
      }));
      expect(groups).toEqual([
        {
          name: 'lab-system-node-group',
          types: ['m6i.xlarge'],
          capacity: 'ON_DEMAND',
          scaling: { minSize: 3, maxSize: 5, desiredSize: 3 },
          ami: 'AL2023_x86_64_STANDARD',
        },
        {
          name: 'lab-api-node-group',
          types: ['m6i.large'],
          capacity: 'ON_DEMAND',
          scaling: { minSize: 3, maxSize: 8, desiredSize: 3 },
          ami: 'AL2023_x86_64_STANDARD',
        },
        {
          name: 'lab-agents-node-group',
          types: ['c6i.2xlarge'],
          capacity: 'ON_DEMAND',
          scaling: { minSize: 5, maxSize: 12, desiredSize: 5 },
          ami: 'AL2023_x86_64_STANDARD',
        },
      ]);
    });

    it('labels and taints nodes from the shared contract', () => {
      for (const pool of exampleSpec.nodePools) expect(nodeGroup(pool.name).labels).toEqual(nodeLabels(pool));
      expect(nodeGroup('agents').labels).toMatchObject({
        'agent-platform.io/pool': 'agents',
        'agent-platform.io/gvisor': 'true',
      });
      expect(nodeGroup('agents').taints).toEqual([
        { key: 'agent-platform.io/dedicated', value: 'agents', effect: 'NO_SCHEDULE' },
      ]);
      expect(nodeGroup('api').taints).toEqual([]);
    });

    it('puts nodes in the private subnets of the pool zones, with the cluster version', () => {
      expect(nodeGroup('agents')).toMatchObject({
        clusterName: 'lobstack-lobstack-aws',
        version: '1.35',
        nodeRoleArn: 'arn:aws:mock:::lab-node-role-role',
        subnetIds: [
          'lab-network-private-eu-central-1a-id',
          'lab-network-private-eu-central-1b-id',
          'lab-network-private-eu-central-1c-id',
        ],
        launchTemplate: { id: 'lab-agents-launch-template-id', version: '3' },
      });
    });

    it('leaves desiredSize to the autoscaler after creation', () => {
      for (const pool of ['system', 'api', 'agents']) {
        expect(built.options.get(`lab-${pool}-node-group`)!.ignoreChanges).toEqual(['scalingConfig.desiredSize']);
      }
    });

    it('encrypts gp3 root volumes of the pool size', () => {
      expect(launchTemplate('agents').blockDeviceMappings).toEqual([
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: 200, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
        },
      ]);
      expect(launchTemplate('api').blockDeviceMappings[0].ebs.volumeSize).toBe(50);
    });

    it('requires IMDSv2 with a hop limit of 1 and gives nodes no public address', () => {
      for (const pool of ['system', 'api', 'agents']) {
        expect(launchTemplate(pool).metadataOptions).toEqual({
          httpEndpoint: 'enabled',
          httpTokens: 'required',
          httpPutResponseHopLimit: 1,
          instanceMetadataTags: 'disabled',
        });
        expect(launchTemplate(pool).networkInterfaces).toEqual([
          {
            deviceIndex: 0,
            associatePublicIpAddress: 'false',
            deleteOnTermination: 'true',
            securityGroups: ['sg-0cluster'],
          },
        ]);
      }
    });

    it('installs gVisor through user data on the gVisor pool only', () => {
      expect(launchTemplate('system').userData).toBeUndefined();
      expect(launchTemplate('api').userData).toBeUndefined();
      const userData = Buffer.from(launchTemplate('agents').userData, 'base64').toString('utf8');
      expect(userData).toMatch(/^MIME-Version: 1\.0\nContent-Type: multipart\/mixed;/);
      expect(userData).toContain(`RELEASE='${GVISOR_RELEASE}'`);
      expect(userData).toContain('sha512sum --check --strict runsc.sha512 containerd-shim-runsc-v1.sha512');
      expect(userData).toContain('containerd.runtimes.runsc]');
    });

    it('tags node groups and their Auto Scaling groups for autoscaler discovery and scale from zero', () => {
      expect(nodeGroup('agents').tags).toMatchObject({
        'k8s.io/cluster-autoscaler/enabled': 'true',
        'k8s.io/cluster-autoscaler/lobstack-lobstack-aws': 'owned',
        'k8s.io/cluster-autoscaler/node-template/label/agent-platform.io/pool': 'agents',
        'k8s.io/cluster-autoscaler/node-template/taint/agent-platform.io/dedicated': 'agents:NoSchedule',
      });
      const asgTags = ofType('aws:autoscaling/tag:Tag')
        .filter((t) => t.name.startsWith('lab-agents-'))
        .map((t) => ({ asg: inputs(t).autoscalingGroupName, ...inputs(t).tag }));
      expect(asgTags).toEqual(
        expect.arrayContaining([
          {
            asg: 'eks-lab-agents-node-group-asg',
            key: 'k8s.io/cluster-autoscaler/enabled',
            value: 'true',
            propagateAtLaunch: false,
          },
          {
            asg: 'eks-lab-agents-node-group-asg',
            key: 'k8s.io/cluster-autoscaler/lobstack-lobstack-aws',
            value: 'owned',
            propagateAtLaunch: false,
          },
          {
            asg: 'eks-lab-agents-node-group-asg',
            key: 'k8s.io/cluster-autoscaler/node-template/taint/agent-platform.io/dedicated',
            value: 'agents:NoSchedule',
            propagateAtLaunch: false,
          },
        ]),
      );
      expect(asgTags).toHaveLength(7);
    });

    it('tags every resource with the platform, stack and stage', () => {
      for (const type of ['aws:eks/cluster:Cluster', 'aws:ec2/vpc:Vpc', 'aws:kms/key:Key']) {
        expect(inputs(one(type)).tags).toMatchObject({
          'agent-platform.io/platform': 'lobstack',
          'agent-platform.io/stack': 'lobstack-aws',
          'agent-platform.io/stage': 'staging',
          'agent-platform.io/managed-by': 'pulumi',
        });
      }
    });

    it('makes the add-on layer wait for node groups, CNI, storage and admin access', () => {
      const names = built.result.readyResources.map((r) => (r as unknown as { __name: string }).__name);
      expect(names).toEqual([
        'lab-system-node-group',
        'lab-api-node-group',
        'lab-agents-node-group',
        'lab-vpc-cni-addon',
        'lab-ebs-csi-storage-class',
        'lab-admins-deployer-cluster-admin',
        // Backups (examples/lobstack-aws declares them): Pod Identity agent and associations.
        'lab-backup-pod-identity-agent',
        'lab-backup-velero',
        'lab-backup-vault',
      ]);
    });
  });
});

describe('createEksCluster options and prod', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const inputs = (r: RecordedResource): any => r.inputs;

  it('protects the cluster, its key and its network in prod, with EKS deletion protection and a NAT per zone', async () => {
    const built = await build('prod', prodSpec());
    expect(built.options.get('prod-cluster')!.protect).toBe(true);
    expect(built.options.get('prod-secrets-key')!.protect).toBe(true);
    expect(built.options.get('prod-network')!.protect).toBe(true);
    const cluster = built.resources.find((r) => r.type === 'aws:eks/cluster:Cluster')!;
    expect(inputs(cluster).deletionProtection).toBe(true);
    expect(inputs(cluster).name).toBe('lobstack-lobstack-aws-prod');
    // Node groups stay replaceable.
    expect(built.options.get('prod-agents')!.protect).toBeUndefined();
    expect(built.resources.filter((r) => r.type === 'aws:ec2/natGateway:NatGateway').map((n) => n.name)).toEqual([
      'prod-network-nat-eu-central-1a',
      'prod-network-nat-eu-central-1b',
      'prod-network-nat-eu-central-1c',
    ]);
  });

  it('adds configured admins, takes a cluster name, tags, log retention and a volume key', async () => {
    const built = await build('opts', exampleSpec, {
      clusterName: 'agents-eu',
      adminPrincipalArns: { 'platform-team': `arn:aws:iam::${ACCOUNT}:role/platform-team` },
      logRetentionDays: 365,
      tags: { 'cost-center': 'ai-42' },
      volumeKmsKeyArn: `arn:aws:kms:eu-central-1:${ACCOUNT}:key/volumes`,
      awsProfile: 'lobstack-admin',
      natGateways: 'per-zone',
      autoscalerServiceAccount: { namespace: 'autoscaling', name: 'ca' },
    });
    const entries = built.resources.filter((r) => r.type === 'aws:eks/accessEntry:AccessEntry');
    expect(entries.map((e) => [e.name, inputs(e).principalArn]).sort()).toEqual([
      ['opts-admins-deployer', DEPLOYER_ROLE],
      ['opts-admins-platform-team', `arn:aws:iam::${ACCOUNT}:role/platform-team`],
    ]);
    const cluster = built.resources.find((r) => r.type === 'aws:eks/cluster:Cluster')!;
    expect(inputs(cluster).name).toBe('agents-eu');
    expect(inputs(cluster).tags['cost-center']).toBe('ai-42');
    expect(built.resources.find((r) => r.type === 'aws:cloudwatch/logGroup:LogGroup')!.inputs).toMatchObject({
      name: '/aws/eks/agents-eu/cluster',
      retentionInDays: 365,
    });
    const lt = built.resources.find((r) => r.name === 'opts-agents-launch-template')!;
    expect(inputs(lt).blockDeviceMappings[0].ebs.kmsKeyId).toBe(`arn:aws:kms:eu-central-1:${ACCOUNT}:key/volumes`);
    expect(built.resources.filter((r) => r.type === 'aws:ec2/natGateway:NatGateway')).toHaveLength(3);
    const kubeconfig = parse(await valueOf(built.result.kubeconfig));
    expect(kubeconfig.users[0].user.exec.env).toEqual([{ name: 'AWS_PROFILE', value: 'lobstack-admin' }]);
    expect(kubeconfig.users[0].user.exec.args).toContain('agents-eu');
    const role = built.resources.find((r) => r.name === 'opts-autoscaler-role')!;
    const condition = JSON.parse(inputs(role).assumeRolePolicy).Statement[0].Condition.StringEquals;
    expect(Object.values(condition)).toContain('system:serviceaccount:autoscaling:ca');
    expect(built.result.autoscaler.args[0]).toBe(
      '--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/agents-eu',
    );
  });

  it('can leave the deployer out when other admins are named', async () => {
    const built = await build('nodeployer', exampleSpec, {
      deployerIsAdmin: false,
      adminPrincipalArns: { ops: `arn:aws:iam::${ACCOUNT}:user/ops` },
    });
    const entries = built.resources.filter((r) => r.type === 'aws:eks/accessEntry:AccessEntry');
    expect(entries.map((e) => inputs(e).principalArn)).toEqual([`arn:aws:iam::${ACCOUNT}:user/ops`]);
  });

  it('makes a spot pool SPOT', async () => {
    const raw = readStackConfig(EXAMPLE) as { nodePools: Record<string, unknown>[] };
    raw.nodePools[1] = { ...raw.nodePools[1], capacity: 'spot' };
    const built = await build('spot', parseRaw(raw, 'spot'));
    const api = built.resources.find((r) => r.name === 'spot-api-node-group')!;
    expect(inputs(api).capacityType).toBe('SPOT');
    expect(inputs(api).labels['agent-platform.io/capacity']).toBe('spot');
  });
});

describe('createEksCluster errors', () => {
  const create = async (spec: EnvironmentSpec, args: object = {}) => {
    const { createEksCluster } = await import('../../../infra/aws');
    return () => createEksCluster('bad', spec, args);
  };
  const hcloud = loadStackFile(join(REPO_ROOT, 'Pulumi.staging.yaml')).spec;

  it('refuses an environment that is not on aws', async () => {
    expect(await create(hcloud)).toThrow(
      `'cloud.provider' is "hcloud"; infra/aws builds only environments with provider aws`,
    );
  });

  it('refuses an STS session ARN as admin principal', async () => {
    expect(await create(exampleSpec, { adminPrincipalArns: { ci: DEPLOYER_SESSION } })).toThrow(
      `'adminPrincipalArns.ci' ("${DEPLOYER_SESSION}") must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin (not an STS session ARN)`,
    );
  });

  it('refuses a cluster nobody could administer', async () => {
    expect(await create(exampleSpec, { deployerIsAdmin: false })).toThrow(
      "'deployerIsAdmin' is false and 'adminPrincipalArns' is empty: nobody could administer the cluster",
    );
  });

  it('refuses the reserved admin name "deployer"', async () => {
    expect(await create(exampleSpec, { adminPrincipalArns: { deployer: DEPLOYER_ROLE } })).toThrow(
      `'adminPrincipalArns' key "deployer" is reserved for the deploying principal; choose another name`,
    );
  });

  it('refuses a log retention CloudWatch does not offer', async () => {
    expect(await create(exampleSpec, { logRetentionDays: 100 })).toThrow(
      "'logRetentionDays' (100) must be one of CloudWatch's periods:",
    );
  });

  it('refuses an invalid cluster name', async () => {
    expect(await create(exampleSpec, { clusterName: '-bad name' })).toThrow(
      `'clusterName' ("-bad name") must be 1-100 letters, digits, "-" or "_", starting with a letter or digit`,
    );
  });

  it('lists every problem at once', async () => {
    let error: unknown;
    try {
      (await create(hcloud, { logRetentionDays: 2, clusterName: '_x' }))();
    } catch (e) {
      error = e;
    }
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    const { message, errors } = error as pulumi.InputPropertiesError;
    expect(message).toMatch(/^EksCluster for stack staging has 4 invalid inputs:\n/);
    expect(errors.map((e) => e.propertyPath)).toEqual([
      'spec.cloud.provider',
      'clusterName',
      'nodePools.control-plane.role',
      'logRetentionDays',
    ]);
  });

  it('refuses a pool with both gpu and gvisor', async () => {
    const raw = readStackConfig(EXAMPLE) as { nodePools: Record<string, unknown>[] };
    raw.nodePools.push({
      name: 'gpu',
      role: 'gpu',
      instanceType: 'g5.xlarge',
      min: 0,
      max: 2,
      gpu: true,
      gvisor: true,
    });
    expect(await create(parseRaw(raw, 'gpu'))).toThrow(
      'pool "gpu" sets both gpu and gvisor: GPU pods under runsc need nvproxy, which this module does not configure; run GPU pods in their own pool without gvisor',
    );
  });
});
