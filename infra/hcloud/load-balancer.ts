/**
 * The load balancer in front of the Kubernetes API (and k3s supervisor) on 6443.
 * It sits in the control-plane pool's subnet at a fixed private IP, which joining
 * servers and every agent (static or autoscaled) use as their `server` address and
 * which is in the API certificate (`tls-san`).
 *
 * Its public interface is OFF: a Hetzner load balancer cannot filter source
 * addresses, so a public listener would expose the API to the internet past the
 * firewall's admin-CIDR rule. Administrators reach the API on the control-plane
 * servers' public IPs, which the firewall restricts to `adminCidrs`.
 */
import * as hcloud from '@pulumi/hcloud';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec } from '../../config';
import { API_LOAD_BALANCER_HOST, API_LOAD_BALANCER_TYPE, KUBE_API_PORT } from './limits';
import { clusterPrefix, resourceLabels } from './names';
import { hostIp } from './subnets';

export interface ApiLoadBalancerArgs {
  readonly spec: Pick<EnvironmentSpec, 'name' | 'stack' | 'protect'>;
  /** Location of the load balancer (the control-plane pool's first location). */
  readonly location: string;
  /** The control-plane pool's subnet (resource and its CIDR). */
  readonly subnet: hcloud.NetworkSubnet;
  readonly subnetCidr: string;
  readonly provider: hcloud.Provider;
  /**
   * Load balancer type.
   * @default 'lb11'
   */
  readonly loadBalancerType?: string;
}

export class ApiLoadBalancer extends pulumi.ComponentResource {
  readonly loadBalancer: hcloud.LoadBalancer;
  readonly loadBalancerId: pulumi.Output<number>;
  readonly attachment: hcloud.LoadBalancerNetwork;
  readonly service: hcloud.LoadBalancerService;
  /** Fixed private IP of the API endpoint inside the network. */
  readonly privateIp: string;
  /** `https://<private ip>:6443`, the address k3s servers and agents join. */
  readonly joinUrl: string;

  constructor(name: string, args: ApiLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:hcloud:ApiLoadBalancer', name, {}, opts);
    const { spec, provider } = args;
    const protect = spec.protect;
    this.privateIp = hostIp(args.subnetCidr, API_LOAD_BALANCER_HOST);
    this.joinUrl = `https://${this.privateIp}:${KUBE_API_PORT}`;
    this.loadBalancer = new hcloud.LoadBalancer(
      `${name}-Resource`,
      {
        name: `${clusterPrefix(spec)}-api`,
        loadBalancerType: args.loadBalancerType ?? API_LOAD_BALANCER_TYPE,
        location: args.location,
        deleteProtection: protect,
        labels: resourceLabels(spec, { 'agent-platform.io/role': 'kube-api' }),
      },
      { parent: this, provider, protect },
    );
    this.loadBalancerId = this.loadBalancer.id.apply(Number);
    this.attachment = new hcloud.LoadBalancerNetwork(
      `${name}-network`,
      {
        loadBalancerId: this.loadBalancerId,
        subnetId: args.subnet.id,
        ip: this.privateIp,
        enablePublicInterface: false,
      },
      { parent: this, provider, protect },
    );
    this.service = new hcloud.LoadBalancerService(
      `${name}-kube-api`,
      {
        loadBalancerId: this.loadBalancer.id,
        protocol: 'tcp',
        listenPort: KUBE_API_PORT,
        destinationPort: KUBE_API_PORT,
        healthCheck: { protocol: 'tcp', port: KUBE_API_PORT, interval: 10, timeout: 5, retries: 3 },
      },
      { parent: this, provider },
    );
    this.registerOutputs({ loadBalancerId: this.loadBalancerId, privateIp: this.privateIp });
  }
}
