/**
 * The nodes' firewall. Inbound: SSH (22) and the Kubernetes API (6443) only from the
 * admin CIDRs, ICMP from anywhere (path MTU discovery, ping), and everything from
 * inside the private network (etcd, kubelet, flannel VXLAN, NodePorts). Everything
 * else inbound is dropped; outbound is open (image pulls, k3s and gVisor downloads).
 * Hetzner firewalls filter public interfaces only; the private-network rules make
 * the intent explicit and keep working if Hetzner ever filters private traffic.
 */
import * as hcloud from '@pulumi/hcloud';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec } from '../../config';
import { KUBE_API_PORT } from './limits';
import { clusterPrefix, resourceLabels } from './names';

export interface ClusterFirewallArgs {
  readonly spec: Pick<EnvironmentSpec, 'name' | 'stack' | 'cloud' | 'adminCidrs'>;
  /**
   * Allow ICMP from anywhere.
   * @default true
   */
  readonly allowIcmp?: boolean;
  readonly provider: hcloud.Provider;
}

/** The firewall's inbound rules (exported for review and tests). */
export function firewallRules(
  spec: Pick<EnvironmentSpec, 'cloud' | 'adminCidrs'>,
  allowIcmp: boolean,
): hcloud.types.input.FirewallRule[] {
  const admin = [...spec.adminCidrs];
  const inside = [spec.cloud.networkCidr];
  const rules: hcloud.types.input.FirewallRule[] = [
    { description: 'SSH from admin networks', direction: 'in', protocol: 'tcp', port: '22', sourceIps: admin },
    {
      description: 'Kubernetes API from admin networks',
      direction: 'in',
      protocol: 'tcp',
      port: String(KUBE_API_PORT),
      sourceIps: admin,
    },
    { description: 'TCP inside the private network', direction: 'in', protocol: 'tcp', port: 'any', sourceIps: inside },
    { description: 'UDP inside the private network', direction: 'in', protocol: 'udp', port: 'any', sourceIps: inside },
    { description: 'ICMP inside the private network', direction: 'in', protocol: 'icmp', sourceIps: inside },
  ];
  if (allowIcmp) {
    rules.push({
      description: 'ICMP (ping, path MTU)',
      direction: 'in',
      protocol: 'icmp',
      sourceIps: ['0.0.0.0/0', '::/0'],
    });
  }
  return rules;
}

export class ClusterFirewall extends pulumi.ComponentResource {
  readonly firewall: hcloud.Firewall;
  readonly firewallId: pulumi.Output<number>;

  constructor(name: string, args: ClusterFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:hcloud:ClusterFirewall', name, {}, opts);
    const allowIcmp = args.allowIcmp ?? true;
    this.firewall = new hcloud.Firewall(
      `${name}-Resource`,
      {
        name: clusterPrefix(args.spec),
        rules: firewallRules(args.spec, allowIcmp),
        labels: resourceLabels(args.spec),
      },
      { parent: this, provider: args.provider },
    );
    this.firewallId = this.firewall.id.apply(Number);
    this.registerOutputs({ firewallId: this.firewallId });
  }
}
