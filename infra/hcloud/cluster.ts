/**
 * HcloudCluster: a k3s cluster on Hetzner Cloud, built from the environment model.
 *
 * Order of work: validate the whole plan (nothing is registered if it fails), then
 * the explicit providers (hcloud from the secret token; tls and random), the
 * network, firewall, SSH key, the server and agent secrets, the API load balancer, the
 * control plane (whose first server's CAs are read once it answers), the worker pools
 * (agent token only), and finally the autoscaler inputs, the admin certificate signed by
 * the cluster's client CA, the kubeconfig and the Kubernetes provider the add-on layer uses.
 */
import { ApiServerReady } from './api-ready';
import * as hcloud from '@pulumi/hcloud';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import * as tls from '@pulumi/tls';
import type { EnvironmentSpec } from '../../config';
import type { ClusterAutoscalerInputs } from '../cluster';
import { hetznerAutoscalerInputs } from './autoscaler';
import { ControlPlanePool } from './control-plane-pool';
import { ClusterFirewall } from './firewall';
import { AdminCertificate } from './admin-certificate';
import { ClusterTokens, secureToken } from './join-token';
import { buildKubeconfig } from './kubeconfig';
import { KUBE_API_PORT } from './limits';
import { ApiLoadBalancer } from './load-balancer';
import { clusterPrefix } from './names';
import { ClusterNetwork } from './network';
import { ClusterSshKey } from './ssh-key';
import { validateHcloudSpec } from './validate';
import { WorkerPool } from './worker-pool';

export interface HcloudClusterArgs {
  readonly spec: EnvironmentSpec;
  /** Hetzner Cloud API token (a Pulumi secret). */
  readonly token: pulumi.Output<string>;
}

export class HcloudCluster extends pulumi.ComponentResource {
  readonly clusterName: string;
  /** The Hetzner API token (secret), for the CCM and CSI add-ons. */
  readonly token: pulumi.Output<string>;
  readonly hcloudProvider: hcloud.Provider;
  readonly network: ClusterNetwork;
  readonly firewall: ClusterFirewall;
  readonly sshKey: ClusterSshKey;
  readonly loadBalancer: ApiLoadBalancer;
  readonly controlPlane: ControlPlanePool;
  /** Worker pools by pool name. */
  readonly workerPools: ReadonlyMap<string, WorkerPool>;
  readonly autoscaler: ClusterAutoscalerInputs;
  /** Admin kubeconfig (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  readonly k8sProvider: k8s.Provider;
  /** The nodes' SSH private key (secret), for break-glass access. */
  readonly sshPrivateKey: pulumi.Output<string>;
  /** Everything the add-ons must wait for. */
  readonly readyResources: readonly pulumi.Resource[];
  /** Completes once the Kubernetes API answers /readyz (see api-ready.ts). */
  readonly apiReady: ApiServerReady;

  constructor(name: string, args: HcloudClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before any resource, including this component: a bad plan registers nothing.
    const plan = validateHcloudSpec(args.spec);
    super('agent-platform:hcloud:HcloudCluster', name, {}, opts);
    const { spec } = args;
    const token = pulumi.secret(args.token);
    this.clusterName = clusterPrefix(spec);
    this.token = token;

    const provider = new hcloud.Provider(`${name}-hcloud`, { token }, { parent: this });
    const tlsProvider = new tls.Provider(`${name}-tls`, {}, { parent: this });
    const randomProvider = new random.Provider(`${name}-random`, {}, { parent: this });
    this.hcloudProvider = provider;
    const child = { parent: this };

    this.network = new ClusterNetwork(`${name}-network`, { spec, subnets: plan.subnets, provider }, child);
    this.firewall = new ClusterFirewall(`${name}-firewall`, { spec, provider }, child);
    this.sshKey = new ClusterSshKey(`${name}-ssh-key`, { spec, provider, tlsProvider }, child);
    const tokens = new ClusterTokens(`${name}-join-token`, { randomProvider }, child);

    const controlPool = spec.nodePools.find((p) => p.role === 'control-plane')!;
    const cpSubnet = plan.subnets.pools.get(controlPool.name)!;
    this.loadBalancer = new ApiLoadBalancer(
      `${name}-api-lb`,
      {
        spec,
        location: controlPool.locations[0]!,
        subnet: this.network.subnetOf(controlPool.name),
        subnetCidr: cpSubnet.cidr,
        provider,
      },
      child,
    );
    const shared = {
      spec,
      firewallId: this.firewall.firewallId,
      sshKeyId: this.sshKey.sshKeyId,
      provider,
    };
    this.controlPlane = new ControlPlanePool(
      `${name}-${controlPool.name}`,
      {
        ...shared,
        pool: controlPool,
        subnet: this.network.subnetOf(controlPool.name),
        loadBalancer: this.loadBalancer,
        serverSecret: tokens.serverSecret,
        agentSecret: tokens.agentSecret,
      },
      child,
    );
    const clusterCa = this.controlPlane.clusterCa;
    const agentToken = pulumi.secret(
      pulumi
        .all([clusterCa.serverCaCertPem, tokens.agentSecret])
        .apply(([ca, secret]) => secureToken(ca, secret, 'node')),
    );
    const workerPools = new Map<string, WorkerPool>();
    for (const pool of spec.nodePools) {
      if (pool.role === 'control-plane') continue;
      workerPools.set(
        pool.name,
        new WorkerPool(
          `${name}-${pool.name}`,
          {
            ...shared,
            pool,
            subnet: this.network.subnetOf(pool.name),
            serverUrl: this.loadBalancer.joinUrl,
            agentToken,
            dependsOn: [this.loadBalancer.attachment, ...this.controlPlane.servers, clusterCa],
          },
          child,
        ),
      );
    }
    this.workerPools = workerPools;

    this.autoscaler = hetznerAutoscalerInputs({
      spec,
      cloudInit: new Map([...workerPools].map(([pool, wp]) => [pool, wp.userData])),
      token,
      networkId: this.network.networkId,
      firewallId: this.firewall.firewallId,
      sshKeyId: this.sshKey.sshKeyId,
    });

    const admin = new AdminCertificate(
      `${name}-pki`,
      {
        clusterName: this.clusterName,
        clientCaCertPem: clusterCa.clientCaCertPem,
        clientCaKeyPem: clusterCa.clientCaKeyPem,
        tlsProvider,
      },
      child,
    );
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([this.controlPlane.publicIps, clusterCa.serverCaCertPem, admin.certPem, admin.keyPem])
        .apply(([endpoints, caCertPem, clientCertPem, clientKeyPem]) =>
          buildKubeconfig({
            name: this.clusterName,
            endpoints,
            port: KUBE_API_PORT,
            caCertPem,
            clientCertPem,
            clientKeyPem,
          }),
        ),
    );
    const servers: pulumi.Resource[] = [
      ...this.controlPlane.servers,
      ...this.controlPlane.targets,
      this.loadBalancer.service,
      ...[...workerPools.values()].flatMap((wp) => wp.servers),
    ];
    // Servers existing is not the API answering: wait for /readyz before any add-on.
    this.apiReady = new ApiServerReady(
      `${name}-api-ready`,
      {
        endpoint: pulumi.interpolate`https://${this.controlPlane.publicIps.apply((ips) => ips[0])}:${KUBE_API_PORT}`,
        caCertPem: clusterCa.serverCaCertPem,
        clientCertPem: admin.certPem,
        clientKeyPem: admin.keyPem,
      },
      { parent: this, dependsOn: servers },
    );
    const readyResources: pulumi.Resource[] = [...servers, this.apiReady];
    this.readyResources = readyResources;
    this.k8sProvider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig },
      { parent: this, dependsOn: readyResources },
    );
    this.sshPrivateKey = this.sshKey.privateKeyOpenssh;
    this.registerOutputs({ kubeconfig: this.kubeconfig, networkId: this.network.networkId });
  }
}
