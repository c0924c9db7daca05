import { parse } from 'yaml';
import { renderCloudInit, k3sConfig, type NodeBootstrap } from '../../../infra/hcloud/cloud-init';
import { containerdTemplate, K3S_CONTAINERD_CONFIG_VERSION } from '../../../infra/hcloud/gvisor';
import { disabledK3sComponents, poolBootstrap } from '../../../infra/hcloud/node-bootstrap';
import { K3S_RELEASES, GVISOR_RELEASE } from '../../../config';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';

const agent: NodeBootstrap = {
  role: 'agent',
  k3sRelease: K3S_RELEASES['1.35'],
  token: 'K10abc::server:secret',
  serverUrl: 'https://10.10.3.250:6443',
  networkCidr: '10.10.0.0/16',
  labels: { 'agent-platform.io/pool': 'agents' },
  taints: ['agent-platform.io/dedicated=agents:NoSchedule'],
  gvisorRelease: GVISOR_RELEASE,
};

type CloudConfig = { write_files: { path: string; content: string; permissions: string }[]; runcmd: string[][] };
const filesOf = (userData: string) => (parse(userData) as CloudConfig).write_files;

describe('renderCloudInit', () => {
  it('writes the k3s config (secret mode), the containerd template and the bootstrap script, then runs it', () => {
    const doc = parse(renderCloudInit(agent)) as CloudConfig;
    expect(doc.write_files.map((f) => [f.path, f.permissions])).toEqual([
      ['/etc/rancher/k3s/config.yaml', '0600'],
      ['/var/lib/rancher/k3s/agent/etc/containerd/config-v3.toml.tmpl', '0644'],
      ['/usr/local/lib/agent-platform/k3s-bootstrap.sh', '0700'],
    ]);
    expect(doc.runcmd).toEqual([['/usr/local/lib/agent-platform/k3s-bootstrap.sh']]);
  });

  it('joins an agent with the token and labels/taints, and the kubelet external cloud provider', () => {
    expect(k3sConfig(agent)).toEqual({
      token: 'K10abc::server:secret',
      server: 'https://10.10.3.250:6443',
      'kubelet-arg': ['cloud-provider=external'],
      'node-label': ['agent-platform.io/pool=agents'],
      'node-taint': ['agent-platform.io/dedicated=agents:NoSchedule'],
    });
  });

  it('configures the cluster-init server with embedded etcd, disabled components and the LB SAN', () => {
    const config = k3sConfig({
      ...agent,
      role: 'server',
      token: 'secret',
      server: { clusterInit: true, tlsSans: ['10.10.3.250'], disable: ['traefik', 'servicelb'] },
    });
    expect(config).toMatchObject({
      token: 'secret',
      'cluster-init': true,
      'cluster-cidr': '10.42.0.0/16',
      'service-cidr': '10.43.0.0/16',
      disable: ['traefik', 'servicelb'],
      'tls-san': ['10.10.3.250'],
      'disable-cloud-controller': true,
      'kubelet-arg': ['cloud-provider=external'],
      'secrets-encryption': true,
    });
    expect(config).not.toHaveProperty('server');
  });

  it('uses the private interface for k3s and flannel, found at boot inside the network', () => {
    const script = filesOf(renderCloudInit(agent)).find((f) => f.path.endsWith('k3s-bootstrap.sh'))!.content;
    expect(script).toContain("NETWORK_CIDR='10.10.0.0/16'");
    expect(script).toContain('node-ip: ${private_ip}');
    expect(script).toContain('flannel-iface: ${private_iface}');
    expect(script).not.toContain('advertise-address');
  });

  it('installs the pinned k3s release with the matching install script', () => {
    const script = filesOf(renderCloudInit(agent)).find((f) => f.path.endsWith('k3s-bootstrap.sh'))!.content;
    expect(script).toContain('https://raw.githubusercontent.com/k3s-io/k3s/v1.35.8%2Bk3s1/install.sh');
    expect(script).toContain(`INSTALL_K3S_VERSION="\${K3S_VERSION}" INSTALL_K3S_EXEC='agent'`);
  });

  it('leaves gVisor out of non-gVisor pools', () => {
    const { gvisorRelease: _omit, ...plain } = agent;
    const files = filesOf(renderCloudInit(plain));
    expect(files.map((f) => f.path)).toEqual([
      '/etc/rancher/k3s/config.yaml',
      '/usr/local/lib/agent-platform/k3s-bootstrap.sh',
    ]);
    expect(files[1]!.content).not.toContain('runsc');
  });

  it('refuses a joining node without a server address', () => {
    const { serverUrl: _omit, ...lost } = agent;
    expect(() => renderCloudInit(lost)).toThrow('a k3s agent that joins needs serverUrl');
  });

  it("refuses user data over Hetzner's 32 KiB", () => {
    const big = {
      ...agent,
      labels: Object.fromEntries(Array.from({ length: 800 }, (_, i) => [`example.com/l${i}`, 'x'.repeat(40)])),
    };
    expect(() => renderCloudInit(big)).toThrow(
      /^cloud-init of a agent node is \d+ bytes; Hetzner accepts at most 32768$/,
    );
  });
});

describe('containerd template', () => {
  it('uses the containerd 1.7 template name and section for k3s 1.28', () => {
    expect(containerdTemplate('v1.28.15+k3s1')).toEqual({
      path: '/var/lib/rancher/k3s/agent/etc/containerd/config.toml.tmpl',
      content: expect.stringContaining('[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runsc]'),
    });
  });

  it('uses the containerd 2 (v3) template for k3s 1.35 and 1.36', () => {
    for (const minor of ['1.35', '1.36'] as const) {
      expect(containerdTemplate(K3S_RELEASES[minor]).path).toBe(
        '/var/lib/rancher/k3s/agent/etc/containerd/config-v3.toml.tmpl',
      );
    }
  });

  it('knows every pinned k3s release', () => {
    for (const release of Object.values(K3S_RELEASES)) expect(K3S_CONTAINERD_CONFIG_VERSION[release]).toBeDefined();
  });

  it('refuses a k3s release it does not know', () => {
    expect(() => containerdTemplate('v1.35.0+k3s1')).toThrow(
      'k3s release v1.35.0+k3s1 is not in K3S_CONTAINERD_CONFIG_VERSION (infra/hcloud/gvisor.ts): add it with the containerd config version it reads (2 for containerd 1.7, 3 for containerd 2.x)',
    );
  });
});

describe('pool bootstrap', () => {
  it('takes labels, taints, k3s and gVisor releases from the model and the contract', () => {
    const spec = stackSpec('staging');
    const agents = spec.nodePools.find((p) => p.name === 'agents')!;
    expect(poolBootstrap(spec, agents)).toEqual({
      k3sRelease: 'v1.35.8+k3s1',
      networkCidr: '10.10.0.0/16',
      labels: {
        'agent-platform.io/pool': 'agents',
        'agent-platform.io/role': 'agents',
        'agent-platform.io/capacity': 'on-demand',
        'agent-platform.io/gvisor': 'true',
      },
      taints: ['agent-platform.io/dedicated=agents:NoSchedule'],
      gvisorRelease: GVISOR_RELEASE,
    });
  });

  it('disables Traefik, ServiceLB and local storage by default, and metrics-server only when the chart replaces it', () => {
    expect(disabledK3sComponents(stackSpec('staging'))).toEqual(['traefik', 'servicelb', 'local-storage']);
    const raw = rawStack('staging');
    raw.addons.metricsServer = { source: 'chart' };
    raw.addons.hcloudCsi = { enabled: false };
    expect(disabledK3sComponents(parseRaw(raw))).toEqual(['traefik', 'servicelb', 'metrics-server']);
  });
});
