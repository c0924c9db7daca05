/**
 * The cluster's network: a VPC across the environment's availability zones, with a
 * private subnet per zone for nodes and pods and a public subnet per zone that holds
 * only NAT gateways and internet-facing load balancers. Nodes never get public
 * addresses; their egress (image pulls, the gVisor download) leaves through NAT.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { planSubnets } from './subnet-plan';

export type NatGatewayMode = 'per-zone' | 'single';

export interface EksVpcArgs {
  /** EKS cluster name: subnets carry `kubernetes.io/cluster/<name>` for load balancer discovery. */
  readonly clusterName: string;
  /** Region the zones belong to (`cloud.region`). */
  readonly region: string;
  /** Availability zones (`cloud.locations`), at least two. */
  readonly zones: readonly string[];
  /** VPC range (`cloud.networkCidr`), /16 to /20. */
  readonly networkCidr: string;
  /**
   * `per-zone`: a NAT gateway in each zone, so losing a zone loses no egress elsewhere.
   * `single`: one shared NAT gateway (cheaper; a zone outage cuts every zone's egress).
   * @default 'per-zone'
   */
  readonly natGateways?: NatGatewayMode;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** The explicit AWS provider (region from the environment). */
  readonly provider: aws.Provider;
}

export class EksVpc extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  /** Private subnet IDs in zone order (nodes, pods, the cluster's ENIs). */
  public readonly privateSubnetIds: pulumi.Output<string>[];
  /** Private subnet ID per zone name. */
  public readonly privateSubnetByZone: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly natGatewayCount: number;

  constructor(name: string, args: EksVpcArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:EksVpc', name, {}, opts);
    const natMode = args.natGateways ?? 'per-zone';
    const baseTags = args.tags ?? {};
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const plan = planSubnets(args.networkCidr, args.region, args.zones);
    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: 'shared' };

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.networkCidr,
        // Both are required for the EKS private endpoint to resolve inside the VPC.
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: { ...baseTags, Name: args.clusterName },
      },
      child,
    );
    const igw = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: { ...baseTags, Name: args.clusterName } },
      child,
    );
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public-routes`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
        tags: { ...baseTags, Name: `${args.clusterName}-public` },
      },
      child,
    );

    const natGateways: aws.ec2.NatGateway[] = [];
    const privateSubnetByZone: Record<string, pulumi.Output<string>> = {};
    this.privateSubnetIds = [];
    this.publicSubnetIds = [];
    plan.forEach(({ zone, privateCidr, publicCidr }, i) => {
      const publicSubnet = new aws.ec2.Subnet(
        `${name}-public-${zone}`,
        {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: publicCidr,
          // Load balancers get their own addresses; nothing launched here needs one.
          mapPublicIpOnLaunch: false,
          tags: {
            ...baseTags,
            ...clusterTag,
            Name: `${args.clusterName}-public-${zone}`,
            'kubernetes.io/role/elb': '1',
          },
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-public-association-${zone}`,
        { subnetId: publicSubnet.id, routeTableId: publicRoutes.id },
        child,
      );
      if (natMode === 'per-zone' || i === 0) {
        const eip = new aws.ec2.Eip(
          `${name}-nat-ip-${zone}`,
          { domain: 'vpc', tags: { ...baseTags, Name: `${args.clusterName}-nat-${zone}` } },
          child,
        );
        natGateways.push(
          new aws.ec2.NatGateway(
            `${name}-nat-${zone}`,
            {
              allocationId: eip.id,
              subnetId: publicSubnet.id,
              tags: { ...baseTags, Name: `${args.clusterName}-nat-${zone}` },
            },
            { ...child, dependsOn: [igw] },
          ),
        );
      }
      const nat = natGateways[natMode === 'per-zone' ? i : 0]!;
      const privateSubnet = new aws.ec2.Subnet(
        `${name}-private-${zone}`,
        {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: privateCidr,
          mapPublicIpOnLaunch: false,
          tags: {
            ...baseTags,
            ...clusterTag,
            Name: `${args.clusterName}-private-${zone}`,
            'kubernetes.io/role/internal-elb': '1',
          },
        },
        child,
      );
      const privateRoutes = new aws.ec2.RouteTable(
        `${name}-private-routes-${zone}`,
        {
          vpcId: vpc.id,
          routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
          tags: { ...baseTags, Name: `${args.clusterName}-private-${zone}` },
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-association-${zone}`,
        { subnetId: privateSubnet.id, routeTableId: privateRoutes.id },
        child,
      );
      privateSubnetByZone[zone] = privateSubnet.id;
      this.privateSubnetIds.push(privateSubnet.id);
      this.publicSubnetIds.push(publicSubnet.id);
    });

    this.vpcId = vpc.id;
    this.privateSubnetByZone = privateSubnetByZone;
    this.natGatewayCount = natGateways.length;
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
    });
  }
}
