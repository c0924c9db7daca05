/**
 * Which input changes a provider applies in place, in place with downtime, or only
 * by replacing the resource: the providers' own rules, for the resources the
 * platform declares. Read in the upstream Terraform providers the Pulumi providers
 * bridge (a `ForceNew` field replaces the resource):
 *
 * - hetznercloud/terraform-provider-hcloud v1.68 (bridged by @pulumi/hcloud 1.41):
 *   `internal/server/resource.go` (image, location, user_data, ssh_keys ForceNew;
 *   `server_type` changes by power-off + ChangeType in `resourceServerUpdate`;
 *   `network` attach/detach in place; a running server cannot leave its placement
 *   group), `internal/network/resource.go` (ip_range), `resource_subnet.go`
 *   (network_id, type, network_zone, ip_range, vswitch_id), `internal/volume/resource.go`
 *   (location), `internal/loadbalancer/resource.go` (location, network_zone),
 *   `internal/sshkey/resource.go` (public_key).
 * - hashicorp/terraform-provider-aws (bridged by @pulumi/aws 7.x):
 *   `internal/service/eks/node_group.go` (ami_type, capacity_type, cluster_name,
 *   disk_size, instance_types, launch_template id/name, node_group_name(_prefix),
 *   node_role_arn, remote_access, subnet_ids ForceNew; `version`, `release_version`
 *   and the launch template version go through UpdateNodegroupVersion, a rolling
 *   replacement of every node), `internal/service/eks/cluster.go` (name, role_arn
 *   (also bootstrap_self_managed_addons, access_config's creator-admin flag,
 *   the Service CIDR and IP family) ForceNew; `version` through UpdateClusterVersion, one minor at a time),
 *   `internal/service/ec2/ec2_launch_template.go` (`name` ForceNew; other changes
 *   write a new template version).
 *
 * Anything not listed is assumed to update in place: the estimate says so, and
 * `pulumi preview` with credentials has the last word.
 */

export type ChangeEffect = 'update' | 'downtime' | 'replace';

export interface FieldRule {
  readonly effect: ChangeEffect;
  /** Why, in the reviewer's terms. */
  readonly why: string;
}

const replace = (why: string): FieldRule => ({ effect: 'replace', why });
const downtime = (why: string): FieldRule => ({ effect: 'downtime', why });
const update = (why: string): FieldRule => ({ effect: 'update', why });

/** Per type token: input path (dotted, top-level first) → what a change to it does. */
export const PROVIDER_RULES: Readonly<Record<string, Readonly<Record<string, FieldRule>>>> = {
  'hcloud:index/server:Server': {
    serverType: downtime('the server is powered off, resized (ChangeType) and booted again'),
    location: replace('location forces a new server'),
    image: replace('image forces a new server (rebuilt from scratch, local disk lost)'),
    userData: replace('user data forces a new server'),
    sshKeys: replace('SSH keys force a new server'),
    placementGroupId: downtime('a running server cannot leave its placement group: power it off first'),
    networks: update('network attachment changes in place; the node keeps running but its private IP may change'),
  },
  'hcloud:index/network:Network': { ipRange: replace('ipRange forces a new network (every server detached)') },
  'hcloud:index/networkSubnet:NetworkSubnet': {
    networkId: replace('networkId forces a new subnet'),
    type: replace('type forces a new subnet'),
    networkZone: replace('networkZone forces a new subnet'),
    ipRange: replace('ipRange forces a new subnet (its servers lose their addresses)'),
    vswitchId: replace('vswitchId forces a new subnet'),
  },
  'hcloud:index/volume:Volume': { location: replace('location forces a new volume (data not copied)') },
  'hcloud:index/loadBalancer:LoadBalancer': {
    location: replace('location forces a new load balancer (new public IP)'),
    networkZone: replace('networkZone forces a new load balancer (new public IP)'),
  },
  'hcloud:index/sshKey:SshKey': { publicKey: replace('publicKey forces a new SSH key') },
  'aws:eks/nodeGroup:NodeGroup': {
    amiType: replace('amiType forces a new node group (every node replaced)'),
    capacityType: replace('capacityType forces a new node group (every node replaced)'),
    clusterName: replace('clusterName forces a new node group'),
    diskSize: replace('diskSize forces a new node group'),
    instanceTypes: replace('instanceTypes force a new node group (every node replaced)'),
    'launchTemplate.id': replace('another launch template forces a new node group'),
    'launchTemplate.name': replace('another launch template forces a new node group'),
    nodeGroupName: replace('nodeGroupName forces a new node group'),
    nodeGroupNamePrefix: replace('nodeGroupNamePrefix forces a new node group'),
    nodeRoleArn: replace('nodeRoleArn forces a new node group'),
    remoteAccess: replace('remoteAccess forces a new node group'),
    subnetIds: replace('subnetIds force a new node group'),
    version: downtime('Kubernetes version: rolling update, every node drained and replaced'),
    releaseVersion: downtime('AMI release: rolling update, every node drained and replaced'),
    'launchTemplate.version': downtime('new launch template version: rolling update, every node drained and replaced'),
  },
  'aws:eks/cluster:Cluster': {
    name: replace('name forces a new cluster'),
    roleArn: replace('roleArn forces a new cluster'),
    bootstrapSelfManagedAddons: replace('bootstrapSelfManagedAddons forces a new cluster'),
    'accessConfig.bootstrapClusterCreatorAdminPermissions': replace(
      'bootstrapClusterCreatorAdminPermissions forces a new cluster',
    ),
    'kubernetesNetworkConfig.serviceIpv4Cidr': replace('the Service CIDR forces a new cluster'),
    'kubernetesNetworkConfig.ipFamily': replace('the IP family forces a new cluster'),
    version: update('control-plane upgrade in place (UpdateClusterVersion), one minor at a time, before the nodes'),
  },
  'aws:ec2/launchTemplate:LaunchTemplate': {
    name: replace('name forces a new launch template'),
  },
};

/** The rule for a changed input path: the most specific listed prefix, if any. */
export function ruleFor(type: string, path: string): FieldRule | undefined {
  const rules = PROVIDER_RULES[type];
  if (!rules) return undefined;
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const rule = rules[parts.slice(0, n).join('.')];
    if (rule) return rule;
  }
  return undefined;
}
