/**
 * HcloudCluster under Pulumi mocks, for both real stacks. Each stack is built once
 * (beforeAll) under its own component name; assertions filter the recorded
 * resources by that name.
 */
import { installMocks, isSecret, valueOf, type RecordedResource } from '../../support/pulumi-mocks';
import { stackSpec } from '../../support/environments';
import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import type { HcloudClusterResult } from '../../../infra/hcloud';
import {
  GVISOR_HANDLER,
  GVISOR_RELEASE,
  K3S_BOOT_RELEASE_LABEL,
  K3S_RELEASES,
  nodeLabels,
  taintString,
  type EnvironmentSpec,
  type NodePool,
} from '../../../config';

// The cluster's CAs are read from the running cluster (infra/hcloud/cluster-ca.ts); under
// mocks the dynamic resource answers with these. Each random secret is told apart by name.
const CLUSTER_CA_PEM = '-----BEGIN CERTIFICATE-----\nk3s-generated server CA\n-----END CERTIFICATE-----\n';
const mocks = installMocks({
  outputs: {
    'pulumi-nodejs:dynamic:Resource': () => ({
      serverCaCertPem: CLUSTER_CA_PEM,
      clientCaCertPem: '-----BEGIN CERTIFICATE-----\nk3s-generated client CA\n-----END CERTIFICATE-----\n',
      clientCaKeyPem: '-----BEGIN EC PRIVATE KEY-----\nk3s-generated client CA key\n-----END EC PRIVATE KEY-----\n',
    }),
    'random:index/randomPassword:RandomPassword': (args) => ({ result: `secret-of-${args.name}` }),
  },
});

interface Built {
  readonly spec: EnvironmentSpec;
  readonly result: HcloudClusterResult;
  readonly resources: RecordedResource[];
  readonly options: Map<string, pulumi.CustomResourceOptions>;
}

async function build(component: string, stack: 'staging' | 'prod'): Promise<Built> {
  const { createHcloudCluster } = await import('../../../infra/hcloud');
  const spec = stackSpec(stack);
  const options = new Map<string, pulumi.CustomResourceOptions>();
  const result = createHcloudCluster(
    component,
    spec,
    { token: pulumi.secret('hcloud-token-value') },
    {
      // Record every resource's options (protect, ignoreChanges) as the engine would see them.
      transformations: [
        (args) => {
          options.set(args.name, args.opts);
          return undefined;
        },
      ],
    },
  );
  const servers = [
    ...result.cluster.controlPlane.servers,
    ...[...result.cluster.workerPools.values()].flatMap((p) => p.servers),
  ];
  await Promise.all([
    valueOf(result.kubeconfig),
    valueOf(result.autoscaler.env.HCLOUD_CLUSTER_CONFIG!),
    ...servers.map((s) => valueOf(s.urn)),
    ...result.cluster.controlPlane.targets.map((t) => valueOf(t.urn)),
    valueOf(result.cluster.loadBalancer.service.urn),
    valueOf(result.provider.urn),
    valueOf(result.cluster.apiReady.urn),
  ]);
  const resources = mocks.resources.filter((r) => r.name.startsWith(`${component}-`));
  return { spec, result, resources, options };
}

const built: Partial<Record<'staging' | 'prod', Built>> = {};
beforeAll(async () => {
  built.staging = await build('stg', 'staging');
  built.prod = await build('prd', 'prod');
});
const get = (stack: 'staging' | 'prod') => built[stack]!;
const ofType = (b: Built, type: string) => b.resources.filter((r) => r.type === type);
const serversOf = (b: Built, pool: string) =>
  ofType(b, 'hcloud:index/server:Server').filter(
    (s) => (s.inputs.labels as Record<string, string>)['agent-platform.io/pool'] === pool,
  );
const poolOf = (b: Built, name: string): NodePool => b.spec.nodePools.find((p) => p.name === name)!;

describe.each(['staging', 'prod'] as const)('HcloudCluster (%s)', (stack) => {
  it('creates min servers per pool with the pool type, spread over the pool locations, named by pool and index', () => {
    const b = get(stack);
    for (const pool of b.spec.nodePools) {
      const servers = serversOf(b, pool.name);
      expect(servers).toHaveLength(pool.min);
      servers.forEach((s, i) => {
        expect(s.inputs).toMatchObject({
          name: `lobstack-${stack}-${pool.name}-${i}`,
          serverType: pool.instanceType,
          location: pool.locations[i % pool.locations.length],
          image: 'ubuntu-24.04',
          publicNets: [{ ipv4Enabled: true, ipv6Enabled: false }],
        });
        expect(s.inputs.labels).toEqual({
          'agent-platform.io/platform': 'lobstack',
          'agent-platform.io/stack': stack,
          'agent-platform.io/pool': pool.name,
          'agent-platform.io/role': pool.role,
        });
        // Never the autoscaler's label: it must not count (or delete) static servers.
        expect(s.inputs.labels).not.toHaveProperty('hcloud/node-group');
      });
    }
    const total = b.spec.nodePools.reduce((n, p) => n + p.min, 0);
    expect(ofType(b, 'hcloud:index/server:Server')).toHaveLength(total);
  });

  it('registers the contract labels and taints of each pool with k3s', async () => {
    const b = get(stack);
    for (const pool of b.spec.nodePools) {
      const userData = userDataOf(serversOf(b, pool.name)[0]!);
      const config = k3sConfigOf(userData);
      // The contract's labels, plus the k3s release the node booted (upgrade Plans skip such nodes).
      expect(config['node-label']).toEqual([
        ...Object.entries(nodeLabels(pool)).map(([k, v]) => `${k}=${v}`),
        `${K3S_BOOT_RELEASE_LABEL}=${K3S_RELEASES[b.spec.kubernetes.version].replace('+', '-')}`,
      ]);
      expect(config['node-taint']).toEqual(pool.taints.map(taintString));
      expect(config['kubelet-arg']).toEqual(['cloud-provider=external']);
    }
    expect(k3sConfigOf(userDataOf(serversOf(b, 'agents')[0]!))['node-label']).toContain(
      'agent-platform.io/gvisor=true',
    );
  });

  it('attaches every server to its pool subnet, the firewall, the SSH key and a placement group', async () => {
    const b = get(stack);
    const subnets = ofType(b, 'hcloud:index/networkSubnet:NetworkSubnet');
    const firewall = ofType(b, 'hcloud:index/firewall:Firewall')[0]!;
    for (const pool of b.spec.nodePools) {
      const subnetName = `${stack === 'staging' ? 'stg' : 'prd'}-network-${pool.name}`;
      expect(subnets.map((s) => s.name)).toContain(subnetName);
      const subnetId = await valueOf(b.result.cluster.network.subnetOf(pool.name).id);
      const firewallId = Number(await valueOf(b.result.cluster.firewall.firewall.id));
      const sshKeyId = await valueOf(b.result.cluster.sshKey.sshKey.id);
      for (const s of serversOf(b, pool.name)) {
        expect(s.inputs.networks).toEqual([{ subnetId, aliasIps: [] }]);
        expect(s.inputs.firewallIds).toEqual([firewallId]);
        expect(s.inputs.sshKeys).toEqual([sshKeyId]);
        expect(Number.isInteger(s.inputs.placementGroupId)).toBe(true);
      }
    }
    expect(firewall.inputs.name).toBe(`lobstack-${stack}`);
  });

  it('gives each pool a /24 of the network chosen by its name, plus the reserved last /24 for autoscaled nodes', () => {
    const b = get(stack);
    const network = ofType(b, 'hcloud:index/network:Network');
    expect(network).toHaveLength(1);
    expect(network[0]!.inputs).toMatchObject({ name: `lobstack-${stack}`, ipRange: b.spec.cloud.networkCidr });
    const subnets = ofType(b, 'hcloud:index/networkSubnet:NetworkSubnet');
    expect(subnets).toHaveLength(b.spec.nodePools.length + 1);
    const prefix = b.spec.cloud.networkCidr.split('.').slice(0, 2).join('.');
    for (const s of subnets) {
      expect(s.inputs).toMatchObject({ type: 'cloud', networkZone: 'eu-central' });
      expect(s.inputs.ipRange).toMatch(new RegExp(`^${prefix.replace('.', '\\.')}\\.\\d+\\.0/24$`));
    }
    expect(subnets.find((s) => s.name.endsWith('-network-autoscaled'))!.inputs.ipRange).toBe(`${prefix}.255.0/24`);
    expect(new Set(subnets.map((s) => s.inputs.ipRange)).size).toBe(subnets.length);
  });

  it('opens SSH and the Kubernetes API to the admin CIDRs only, and everything inside the network', () => {
    const b = get(stack);
    const rules = ofType(b, 'hcloud:index/firewall:Firewall')[0]!.inputs.rules as Record<string, unknown>[];
    const tcp = (port: string) => rules.filter((r) => r.protocol === 'tcp' && r.port === port);
    expect(tcp('22')).toEqual([expect.objectContaining({ direction: 'in', sourceIps: b.spec.adminCidrs })]);
    expect(tcp('6443')).toEqual([expect.objectContaining({ direction: 'in', sourceIps: b.spec.adminCidrs })]);
    expect(tcp('any')).toEqual([expect.objectContaining({ sourceIps: [b.spec.cloud.networkCidr] })]);
    expect(rules.filter((r) => r.protocol === 'udp')).toEqual([
      expect.objectContaining({ port: 'any', sourceIps: [b.spec.cloud.networkCidr] }),
    ]);
    // Nothing else reaches the nodes from outside: only ICMP is open to the world.
    const fromAnywhere = rules.filter((r) => (r.sourceIps as string[]).includes('0.0.0.0/0'));
    expect(fromAnywhere.map((r) => r.protocol)).toEqual(['icmp']);
  });

  it('puts at most 10 servers in each spread placement group', () => {
    const b = get(stack);
    const groups = ofType(b, 'hcloud:index/placementGroup:PlacementGroup');
    const expected = b.spec.nodePools.reduce((n, p) => n + Math.ceil(p.min / 10), 0);
    expect(groups).toHaveLength(expected);
    for (const g of groups) expect(g.inputs.type).toBe('spread');
    const ids = ofType(b, 'hcloud:index/server:Server').map((s) => s.inputs.placementGroupId);
    const counts = new Map<unknown, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(10);
  });

  it('fronts the API with a private-only load balancer targeting the control-plane servers', () => {
    const b = get(stack);
    const lb = ofType(b, 'hcloud:index/loadBalancer:LoadBalancer');
    expect(lb).toHaveLength(1);
    expect(lb[0]!.inputs).toMatchObject({ name: `lobstack-${stack}-api`, loadBalancerType: 'lb11', location: 'fsn1' });
    const attachment = ofType(b, 'hcloud:index/loadBalancerNetwork:LoadBalancerNetwork')[0]!;
    expect(attachment.inputs).toMatchObject({
      enablePublicInterface: false,
      ip: b.result.cluster.loadBalancer.privateIp,
    });
    const service = ofType(b, 'hcloud:index/loadBalancerService:LoadBalancerService')[0]!;
    expect(service.inputs).toMatchObject({
      protocol: 'tcp',
      listenPort: 6443,
      destinationPort: 6443,
      healthCheck: { protocol: 'tcp', port: 6443 },
    });
    const targets = ofType(b, 'hcloud:index/loadBalancerTarget:LoadBalancerTarget');
    expect(targets).toHaveLength(3);
    for (const t of targets) expect(t.inputs).toMatchObject({ type: 'server', usePrivateIp: true });
  });

  it('lets no control-plane server initialize by index: server 0 may initialize when nothing answers, the others only join', () => {
    const b = get(stack);
    const lbIp = b.result.cluster.loadBalancer.privateIp;
    const servers = serversOf(b, 'control-plane');
    const cp = servers.map((s) => k3sConfigOf(userDataOf(s)));
    for (const config of cp) {
      expect(config).toMatchObject({ 'tls-san': [lbIp], 'disable-cloud-controller': true });
      expect(config).not.toHaveProperty('cluster-init');
      expect(config).not.toHaveProperty('server');
      // Staging and prod use k3s's own metrics-server (addons.metricsServer.source = distribution).
      expect(config.disable).toEqual(['traefik', 'servicelb', 'local-storage']);
    }
    const scripts = servers.map((s) => bootstrapOf(userDataOf(s)));
    expect(scripts[0]).toContain("MAY_INITIALIZE='true'");
    for (const script of scripts) expect(script).toContain(`API_URL='https://${lbIp}:6443'`);
    for (const script of scripts.slice(1)) expect(script).toContain("MAY_INITIALIZE='false'");
  });

  it('gives servers the server secret (bare on server 0, pinned to the cluster CA on the others) and the agent secret as agent-token', () => {
    const b = get(stack);
    const component = stack === 'staging' ? 'stg' : 'prd';
    const serverSecret = `secret-of-${component}-join-token-Resource`;
    const agentSecret = `secret-of-${component}-join-token-agent`;
    const cp = serversOf(b, 'control-plane').map((s) => k3sConfigOf(userDataOf(s)));
    expect(cp[0]!.token).toBe(serverSecret);
    for (const joining of cp.slice(1)) {
      expect(joining.token).toBe(`K10${sha256(CLUSTER_CA_PEM)}::server:${serverSecret}`);
    }
    for (const config of cp) expect(config['agent-token']).toBe(agentSecret);
  });

  it('joins every worker with the agent token only: no server secret in any worker user data or the autoscaler Secret', async () => {
    const b = get(stack);
    const component = stack === 'staging' ? 'stg' : 'prd';
    const serverSecret = `secret-of-${component}-join-token-Resource`;
    const agentSecret = `secret-of-${component}-join-token-agent`;
    for (const pool of b.spec.nodePools.filter((p) => p.role !== 'control-plane')) {
      for (const server of serversOf(b, pool.name)) {
        const userData = userDataOf(server);
        expect(k3sConfigOf(userData)).toMatchObject({
          token: `K10${sha256(CLUSTER_CA_PEM)}::node:${agentSecret}`,
          server: `https://${b.result.cluster.loadBalancer.privateIp}:6443`,
        });
        expect(k3sConfigOf(userData)).not.toHaveProperty('agent-token');
        expect(userData).not.toContain(serverSecret);
      }
    }
    const env = await valueOf(pulumi.output(b.result.autoscaler.env as Record<string, pulumi.Input<string>>));
    const everything = JSON.stringify(env) + Buffer.from(env.HCLOUD_CLUSTER_CONFIG!, 'base64').toString('utf8');
    expect(everything).toContain(agentSecret);
    expect(everything).not.toContain(serverSecret);
  });

  it('puts no CA (or any) private key in any user data: k3s generates its CAs', () => {
    const b = get(stack);
    for (const server of ofType(b, 'hcloud:index/server:Server')) {
      const userData = userDataOf(server);
      expect(userData).not.toMatch(/PRIVATE KEY/);
      expect(cloudInitOf(userData).write_files.filter((f) => f.path.includes('/server/tls/'))).toEqual([]);
    }
    expect(ofType(b, 'tls:index/selfSignedCert:SelfSignedCert')).toEqual([]);
  });

  it('reads the cluster CAs from server 0 with the server secret once it exists, before any other node joins', () => {
    const b = get(stack);
    const component = stack === 'staging' ? 'stg' : 'prd';
    const ca = b.resources.find((r) => r.name === `${component}-control-plane-cluster-ca`)!;
    expect(ca.type).toBe('pulumi-nodejs:dynamic:Resource');
    expect(ca.inputs).toMatchObject({ endpoint: 'https://192.0.2.10:6443', timeoutSeconds: 900 });
    const caOptions = b.options.get(ca.name)!;
    expect((caOptions.dependsOn as pulumi.Resource[]).includes(b.result.cluster.controlPlane.servers[0]!)).toBe(true);
    const servers = [
      ...b.result.cluster.controlPlane.servers.slice(1),
      ...[...b.result.cluster.workerPools.values()].flatMap((wp) => wp.servers),
    ];
    {
      for (const server of servers) {
        const deps = b.options.get(nameOf(b, server))!.dependsOn as pulumi.Resource[];
        expect(deps.includes(b.result.cluster.controlPlane.clusterCa)).toBe(true);
      }
    }
  });

  it('the system:masters client certificate is short-lived break-glass: 48 h, re-issued in its last 24 h', () => {
    const cert = ofType(get(stack), 'tls:index/locallySignedCert:LocallySignedCert');
    expect(cert).toHaveLength(1);
    expect(cert[0]!.inputs).toMatchObject({
      validityPeriodHours: 48,
      earlyRenewalHours: 24,
      allowedUses: ['digital_signature', 'key_encipherment', 'client_auth'],
    });
  });

  it('every server writes the API audit log with rotation and accepts OIDC logins; agents get neither', () => {
    const b = get(stack);
    for (const server of serversOf(b, 'control-plane')) {
      const userData = userDataOf(server);
      expect(k3sConfigOf(userData)['kube-apiserver-arg']).toEqual([
        'audit-policy-file=/etc/rancher/k3s/audit-policy.yaml',
        'audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log',
        'audit-log-format=json',
        'audit-log-maxage=30',
        'audit-log-maxbackup=10',
        'audit-log-maxsize=100',
        'authentication-config=/etc/rancher/k3s/authentication-config.yaml',
      ]);
      const files = cloudInitOf(userData).write_files;
      const auth = parse(files.find((f) => f.path === '/etc/rancher/k3s/authentication-config.yaml')!.content);
      // Structured authentication configuration is GA (v1) from 1.34; the stacks run 1.35.
      expect(auth).toEqual({
        apiVersion: 'apiserver.config.k8s.io/v1',
        kind: 'AuthenticationConfiguration',
        jwt: [
          {
            issuer: { url: 'https://auth.lobstack.dev/realms/platform', audiences: ['kubernetes'] },
            claimMappings: {
              username: { claim: 'email', prefix: 'oidc:' },
              groups: { claim: 'groups', prefix: 'oidc:' },
            },
          },
        ],
      });
      expect(parse(files.find((f) => f.path === '/etc/rancher/k3s/audit-policy.yaml')!.content).kind).toBe('Policy');
    }
    const agent = userDataOf(serversOf(b, 'agents')[0]!);
    expect(k3sConfigOf(agent)).not.toHaveProperty('kube-apiserver-arg');
    expect(agent).not.toContain('authentication-config');
  });

  it('boots gVisor agents with runsc, its containerd template and the pool labels/taints, before k3s', () => {
    const b = get(stack);
    const agents = poolOf(b, 'agents');
    const userData = userDataOf(serversOf(b, 'agents')[0]!);
    const init = cloudInitOf(userData);
    const template = init.write_files.find((f) => f.path.endsWith('.toml.tmpl'))!;
    expect(template.path).toBe('/var/lib/rancher/k3s/agent/etc/containerd/config-v3.toml.tmpl');
    expect(template.content).toContain('{{ template "base" . }}');
    expect(template.content).toContain(
      `[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.${GVISOR_HANDLER}]`,
    );
    expect(template.content).toContain('runtime_type = "io.containerd.runsc.v1"');
    const script = init.write_files.find((f) => f.path === '/usr/local/lib/agent-platform/k3s-bootstrap.sh')!.content;
    expect(script).toContain(`https://storage.googleapis.com/gvisor/releases/release/${GVISOR_RELEASE}/\${arch}`);
    expect(script).toContain('sha512sum -c runsc.sha512 containerd-shim-runsc-v1.sha512');
    expect(script.indexOf('install_gvisor\n')).toBeLessThan(script.indexOf('install_k3s\n'));
    expect(script).toContain('systemctl enable --now k3s-agent.service');
    expect(script).toContain(`# 4. k3s ${K3S_RELEASES['1.35']}:`);
    const config = k3sConfigOf(userData);
    expect(config['node-label']).toEqual(
      expect.arrayContaining(['agent-platform.io/pool=agents', 'agent-platform.io/gvisor=true']),
    );
    expect(config['node-taint']).toEqual(agents.taints.map(taintString));
    expect(config['node-taint']).toEqual(['agent-platform.io/dedicated=agents:NoSchedule']);
    // Non-gVisor pools get neither.
    const api = cloudInitOf(userDataOf(serversOf(b, 'api')[0]!));
    expect(api.write_files.some((f) => f.path.endsWith('.toml.tmpl'))).toBe(false);
    expect(api.write_files.find((f) => f.path.endsWith('k3s-bootstrap.sh'))!.content).not.toContain('runsc');
  });

  it('gives every static server of a pool the same user data, and the autoscaler that same cloud-init', async () => {
    const b = get(stack);
    const agents = serversOf(b, 'agents').map(userDataOf);
    expect(new Set(agents).size).toBe(1);
    const config = JSON.parse(
      Buffer.from(await valueOf(b.result.autoscaler.env.HCLOUD_CLUSTER_CONFIG!), 'base64').toString('utf8'),
    ) as {
      imagesForArch: Record<string, string>;
      nodeConfigs: Record<string, { cloudInit: string; labels: unknown; taints: unknown }>;
    };
    expect(config.imagesForArch).toEqual({ amd64: 'ubuntu-24.04', arm64: 'ubuntu-24.04' });
    for (const location of ['fsn1', 'nbg1', 'hel1']) {
      const node = config.nodeConfigs[`lobstack-${stack}-agents-${location}`]!;
      expect(node.cloudInit).toBe(agents[0]);
      expect(node.labels).toEqual(nodeLabels(poolOf(b, 'agents')));
      expect(node.taints).toEqual([{ key: 'agent-platform.io/dedicated', value: 'agents', effect: 'NoSchedule' }]);
      const api = config.nodeConfigs[`lobstack-${stack}-api-${location}`]!;
      expect(api.cloudInit).toBe(userDataOf(serversOf(b, 'api')[0]!));
      expect(api.taints).toEqual([]);
    }
    expect(Object.keys(config.nodeConfigs).some((k) => k.includes('control-plane'))).toBe(false);
  });

  it('exposes the kubeconfig, the autoscaler credentials and every user data as secrets', async () => {
    const b = get(stack);
    expect(await isSecret(b.result.kubeconfig)).toBe(true);
    expect(await isSecret(b.result.sshPrivateKey)).toBe(true);
    expect(await isSecret(pulumi.output(b.result.autoscaler.env.HCLOUD_TOKEN!))).toBe(true);
    expect(await isSecret(pulumi.output(b.result.autoscaler.env.HCLOUD_CLUSTER_CONFIG!))).toBe(true);
    expect(await isSecret(b.result.hcloud!.token)).toBe(true);
    for (const wp of b.result.cluster.workerPools.values()) expect(await isSecret(wp.userData)).toBe(true);
    for (const ud of b.result.cluster.controlPlane.userData) expect(await isSecret(ud)).toBe(true);
    const provider = ofType(b, 'pulumi:providers:hcloud');
    expect(provider).toHaveLength(1);
    // Every hcloud resource uses the explicit provider built from the token.
    for (const r of b.resources.filter((x) => x.type.startsWith('hcloud:'))) {
      expect(r.provider).toContain('pulumi:providers:hcloud::');
    }
  });

  it('builds a kubeconfig trusting the cluster server CA, with one context per control-plane server', async () => {
    const b = get(stack);
    const kubeconfig = parse(await valueOf(b.result.kubeconfig)) as {
      clusters: { name: string; cluster: Record<string, string> }[];
      users: { user: Record<string, string> }[];
      'current-context': string;
    };
    expect(kubeconfig.clusters).toHaveLength(3);
    expect(kubeconfig['current-context']).toBe(`lobstack-${stack}-0`);
    expect(kubeconfig.clusters[0]!.cluster).toMatchObject({
      server: 'https://192.0.2.10:6443',
      'tls-server-name': 'kubernetes',
    });
    const ca = Buffer.from(kubeconfig.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString();
    expect(ca).toBe(CLUSTER_CA_PEM);
    expect(kubeconfig.users[0]!.user['client-key-data']).toBeDefined();
    const adminCsr = ofType(b, 'tls:index/certRequest:CertRequest')[0]!;
    expect(adminCsr.inputs.subject).toMatchObject({ organization: 'system:masters' });
    // Signed by the client CA k3s generated (read by cluster-ca.ts).
    const adminCert = ofType(b, 'tls:index/locallySignedCert:LocallySignedCert')[0]!;
    expect(adminCert.inputs.caCertPem).toContain('k3s-generated client CA');
    expect(ofType(b, 'pulumi:providers:kubernetes')).toHaveLength(1);
  });

  it('ignores user-data changes on running servers, and replaces a server by deleting it first (names are unique)', () => {
    const b = get(stack);
    for (const s of ofType(b, 'hcloud:index/server:Server')) {
      expect(b.options.get(s.name)!.ignoreChanges).toEqual(['userData']);
      expect(b.options.get(s.name)!.deleteBeforeReplace).toBe(true);
    }
  });
});

describe('autoscaler arguments', () => {
  it('give the autoscaler only the elastic part of each autoscaled pool, one node group per location', () => {
    expect(get('staging').result.autoscaler.cloudProvider).toBe('hetzner');
    // staging api 3..8 (5 elastic), agents 5..12 (7 elastic), over fsn1/nbg1/hel1.
    expect(get('staging').result.autoscaler.args).toEqual([
      '--nodes=0:2:cpx22:fsn1:lobstack-staging-api-fsn1',
      '--nodes=0:2:cpx22:nbg1:lobstack-staging-api-nbg1',
      '--nodes=0:1:cpx22:hel1:lobstack-staging-api-hel1',
      '--nodes=0:3:cpx42:fsn1:lobstack-staging-agents-fsn1',
      '--nodes=0:2:cpx42:nbg1:lobstack-staging-agents-nbg1',
      '--nodes=0:2:cpx42:hel1:lobstack-staging-agents-hel1',
    ]);
    // prod api 3..12 (9 elastic), agents 8..40 (32 elastic).
    expect(get('prod').result.autoscaler.args).toEqual([
      '--nodes=0:3:cpx32:fsn1:lobstack-prod-api-fsn1',
      '--nodes=0:3:cpx32:nbg1:lobstack-prod-api-nbg1',
      '--nodes=0:3:cpx32:hel1:lobstack-prod-api-hel1',
      '--nodes=0:11:cpx42:fsn1:lobstack-prod-agents-fsn1',
      '--nodes=0:11:cpx42:nbg1:lobstack-prod-agents-nbg1',
      '--nodes=0:10:cpx42:hel1:lobstack-prod-agents-hel1',
    ]);
  });

  it('pass the network, firewall and SSH key by ID, with public IPv4 only like the static servers', async () => {
    const env = get('staging').result.autoscaler.env;
    const network = get('staging').resources.find((r) => r.type === 'hcloud:index/network:Network')!;
    expect(await valueOf(env.HCLOUD_NETWORK!)).toMatch(/^\d+$/);
    expect(await valueOf(get('staging').result.cluster.network.network.id)).toBe(await valueOf(env.HCLOUD_NETWORK!));
    expect(network).toBeDefined();
    expect(await valueOf(env.HCLOUD_FIREWALL!)).toMatch(/^\d+$/);
    expect(await valueOf(env.HCLOUD_SSH_KEY!)).toMatch(/^\d+$/);
    expect(env.HCLOUD_PUBLIC_IPV4).toBe('true');
    expect(env.HCLOUD_PUBLIC_IPV6).toBe('false');
    expect(await valueOf(env.HCLOUD_TOKEN!)).toBe('hcloud-token-value');
  });
});

describe('protection', () => {
  const protectedTypes = [
    'hcloud:index/server:Server',
    'hcloud:index/network:Network',
    'hcloud:index/networkSubnet:NetworkSubnet',
    'hcloud:index/loadBalancer:LoadBalancer',
    'hcloud:index/loadBalancerNetwork:LoadBalancerNetwork',
  ];

  it('protects servers, network and load balancer in prod (Pulumi protect and Hetzner delete/rebuild protection)', () => {
    const b = get('prod');
    for (const r of b.resources.filter((x) => protectedTypes.includes(x.type))) {
      expect(b.options.get(r.name)!.protect).toBe(true);
    }
    for (const s of ofType(b, 'hcloud:index/server:Server')) {
      expect(s.inputs).toMatchObject({ deleteProtection: true, rebuildProtection: true });
    }
    expect(ofType(b, 'hcloud:index/network:Network')[0]!.inputs.deleteProtection).toBe(true);
    expect(ofType(b, 'hcloud:index/loadBalancer:LoadBalancer')[0]!.inputs.deleteProtection).toBe(true);
  });

  it('leaves staging unprotected', () => {
    const b = get('staging');
    for (const r of b.resources.filter((x) => protectedTypes.includes(x.type))) {
      expect(b.options.get(r.name)!.protect).toBe(false);
    }
    for (const s of ofType(b, 'hcloud:index/server:Server')) {
      expect(s.inputs).toMatchObject({ deleteProtection: false, rebuildProtection: false });
    }
    expect(ofType(b, 'hcloud:index/network:Network')[0]!.inputs.deleteProtection).toBe(false);
  });
});

/** A server's user data, which the engine must receive as a secret (the mock monitor shows the wrapper). */
function userDataOf(server: RecordedResource): string {
  const value = server.inputs.userData as { value?: unknown } & Record<string, unknown>;
  expect(value[pulumi.runtime.specialSigKey]).toBe(pulumi.runtime.specialSecretSig);
  return String(value.value);
}

function cloudInitOf(userData: string): { write_files: { path: string; content: string }[]; runcmd: string[][] } {
  expect(userData.startsWith('#cloud-config\n')).toBe(true);
  return parse(userData) as { write_files: { path: string; content: string }[]; runcmd: string[][] };
}

function bootstrapOf(userData: string): string {
  return cloudInitOf(userData).write_files.find((f) => f.path === '/usr/local/lib/agent-platform/k3s-bootstrap.sh')!
    .content;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The logical name a server was registered under (options are recorded by name). */
function nameOf(b: Built, server: pulumi.Resource): string {
  const index = b.result.cluster.controlPlane.servers.indexOf(server as never);
  if (index >= 0) return `${b === built.staging ? 'stg' : 'prd'}-control-plane-${index}`;
  for (const [pool, wp] of b.result.cluster.workerPools) {
    const i = wp.servers.indexOf(server as never);
    if (i >= 0) return `${b === built.staging ? 'stg' : 'prd'}-${pool}-${i}`;
  }
  throw new Error('unknown server');
}

function k3sConfigOf(userData: string): Record<string, unknown> {
  const file = cloudInitOf(userData).write_files.find((f) => f.path === '/etc/rancher/k3s/config.yaml')!;
  return parse(file.content) as Record<string, unknown>;
}

describe('waiting for the API server', () => {
  it.each(['staging', 'prod'] as const)('%s: the add-ons wait for /readyz on control-plane server 0', async (stack) => {
    const b = get(stack);
    const component = stack === 'staging' ? 'stg' : 'prd';
    const ready = b.resources.filter(
      (r) => r.type === 'pulumi-nodejs:dynamic:Resource' && r.name.endsWith('-api-ready'),
    );
    expect(ready.map((r) => r.name)).toEqual([`${component}-api-ready`]);
    expect(ready[0]!.inputs).toMatchObject({
      endpoint: 'https://192.0.2.10:6443',
      tlsServerName: 'kubernetes',
      timeoutSeconds: 900,
    });
    expect(ready[0]!.inputs['caCertPem']).toContain('BEGIN CERTIFICATE');
    expect(b.result.readyResources).toContain(b.result.cluster.apiReady);
    // It waits for every server, and the Kubernetes provider waits for it.
    const opts = b.options.get(`${component}-api-ready`)!;
    expect((opts.dependsOn as pulumi.Resource[]).length).toBeGreaterThanOrEqual(b.spec.nodePools[0]!.min);
    expect(await isSecret(b.result.cluster.apiReady.endpoint)).toBe(false);
  });
});
