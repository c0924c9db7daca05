/* eslint-disable @typescript-eslint/no-explicit-any */
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';
import { renderCloudInit, k3sConfig, type NodeBootstrap } from '../../../infra/hcloud/cloud-init';
import { containerdTemplate, K3S_CONTAINERD_CONFIG_VERSION } from '../../../infra/hcloud/gvisor';
import { disabledK3sComponents, poolBootstrap } from '../../../infra/hcloud/node-bootstrap';
import { K3S_RELEASES, GVISOR_RELEASE } from '../../../config';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';

const agent: NodeBootstrap = {
  role: 'agent',
  k3sRelease: K3S_RELEASES['1.35'],
  token: 'K10abc::node:agent-secret',
  serverUrl: 'https://10.10.3.250:6443',
  networkCidr: '10.10.0.0/16',
  labels: { 'agent-platform.io/pool': 'agents' },
  taints: ['agent-platform.io/dedicated=agents:NoSchedule'],
  gvisorRelease: GVISOR_RELEASE,
};

type CloudConfig = { write_files: { path: string; content: string; permissions: string }[]; runcmd: string[][] };
const filesOf = (userData: string) => (parse(userData) as CloudConfig).write_files;

describe('renderCloudInit', () => {
  it('writes the k3s config (secret mode), the unit, the containerd template, the runsc shim config and the bootstrap script, then runs it', () => {
    const doc = parse(renderCloudInit(agent)) as CloudConfig;
    expect(doc.write_files.map((f) => [f.path, f.permissions])).toEqual([
      ['/etc/rancher/k3s/config.yaml', '0600'],
      ['/etc/systemd/system/k3s-agent.service', '0644'],
      ['/var/lib/rancher/k3s/agent/etc/containerd/config-v3.toml.tmpl', '0644'],
      ['/etc/containerd/runsc.toml', '0644'],
      ['/usr/local/lib/agent-platform/k3s-bootstrap.sh', '0700'],
    ]);
    expect(doc.runcmd).toEqual([['/usr/local/lib/agent-platform/k3s-bootstrap.sh']]);
  });

  it('joins an agent with the token and labels/taints, and the kubelet external cloud provider', () => {
    expect(k3sConfig(agent)).toEqual({
      token: 'K10abc::node:agent-secret',
      server: 'https://10.10.3.250:6443',
      'kubelet-arg': ['cloud-provider=external'],
      'node-label': ['agent-platform.io/pool=agents'],
      'node-taint': ['agent-platform.io/dedicated=agents:NoSchedule'],
    });
  });

  it('configures a server with embedded etcd, the agent token, disabled components and the LB SAN, and no join decision', () => {
    const config = k3sConfig({
      ...agent,
      role: 'server',
      token: 'server-secret',
      server: {
        mayInitialize: true,
        agentToken: 'agent-secret',
        tlsSans: ['10.10.3.250'],
        disable: ['traefik', 'servicelb'],
      },
    });
    expect(config).toMatchObject({
      token: 'server-secret',
      'agent-token': 'agent-secret',
      'cluster-cidr': '10.42.0.0/16',
      'service-cidr': '10.43.0.0/16',
      disable: ['traefik', 'servicelb'],
      'tls-san': ['10.10.3.250'],
      'disable-cloud-controller': true,
      'kubelet-arg': ['cloud-provider=external'],
      'secrets-encryption': true,
    });
    // Decided at boot (cluster-membership.ts), never fixed in user data.
    expect(config).not.toHaveProperty('server');
    expect(config).not.toHaveProperty('cluster-init');
  });

  it('refuses an agent that carries server settings (it would hold the agent secret in its config)', () => {
    expect(() =>
      k3sConfig({ ...agent, server: { mayInitialize: false, agentToken: 'x', tlsSans: [], disable: [] } }),
    ).toThrow('a k3s agent must not carry server settings');
  });

  it('uses the private interface for k3s and flannel, found at boot inside the network', () => {
    const script = filesOf(renderCloudInit(agent)).find((f) => f.path.endsWith('k3s-bootstrap.sh'))!.content;
    expect(script).toContain("NETWORK_CIDR='10.10.0.0/16'");
    expect(script).toContain('node-ip: ${private_ip}');
    expect(script).toContain('flannel-iface: ${private_iface}');
    expect(script).not.toContain('advertise-address');
  });

  it('installs the pinned k3s binary after checking its sha256, and runs no downloaded install script', () => {
    const script = filesOf(renderCloudInit(agent)).find((f) => f.path.endsWith('k3s-bootstrap.sh'))!.content;
    expect(script).toContain('https://github.com/k3s-io/k3s/releases/download/v1.35.8%2Bk3s1/${asset}');
    expect(script).toContain('https://github.com/k3s-io/k3s/releases/download/v1.35.8%2Bk3s1/sha256sum-${arch}.txt');
    expect(script).toContain('sha256sum --check --strict');
    expect(script).not.toMatch(/install\.sh|get\.k3s\.io/);
    expect(script.indexOf('install_k3s\n')).toBeLessThan(script.indexOf('systemctl enable --now k3s-agent.service'));
  });

  it('leaves gVisor out of non-gVisor pools', () => {
    const { gvisorRelease: _omit, ...plain } = agent;
    const files = filesOf(renderCloudInit(plain));
    expect(files.map((f) => f.path)).toEqual([
      '/etc/rancher/k3s/config.yaml',
      '/etc/systemd/system/k3s-agent.service',
      '/usr/local/lib/agent-platform/k3s-bootstrap.sh',
    ]);
    expect(files[2]!.content).not.toContain('runsc');
  });

  it('refuses a node without a server address', () => {
    expect(() => renderCloudInit({ ...agent, serverUrl: '' })).toThrow('a k3s agent needs serverUrl');
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

/** A TOML document as data, read by Python's tomllib (containerd reads TOML, not text). */
function toml(text: string): Record<string, any> {
  const program = 'import json, sys, tomllib\nprint(json.dumps(tomllib.loads(sys.stdin.read())))';
  return JSON.parse(execFileSync('python3', ['-c', program], { input: text, encoding: 'utf8' })) as Record<string, any>;
}

describe('runsc shim configuration (containerd ConfigPath)', () => {
  // k3s renders its base config where the template says `{{ template "base" . }}`; what we add is plain TOML.
  const ours = (release: string) => toml(containerdTemplate(release).content.replace('{{ template "base" . }}', ''));

  it('registers runsc with options naming /etc/containerd/runsc.toml, in the v3 table for containerd 2', () => {
    expect(ours(K3S_RELEASES['1.35'])).toEqual({
      plugins: {
        'io.containerd.cri.v1.runtime': {
          containerd: {
            runtimes: {
              runsc: {
                runtime_type: 'io.containerd.runsc.v1',
                options: { TypeUrl: 'io.containerd.runsc.v1.options', ConfigPath: '/etc/containerd/runsc.toml' },
              },
            },
          },
        },
      },
    });
  });

  it('and in the v2 table for containerd 1.7', () => {
    const runsc = ours('v1.28.15+k3s1').plugins['io.containerd.grpc.v1.cri'].containerd.runtimes.runsc;
    expect(runsc.options).toEqual({
      TypeUrl: 'io.containerd.runsc.v1.options',
      ConfigPath: '/etc/containerd/runsc.toml',
    });
  });

  it('writes that file at first boot: an empty [runsc_config] table, last, ending in a newline', () => {
    const file = filesOf(renderCloudInit(agent)).find((f) => f.path === '/etc/containerd/runsc.toml')!;
    expect(toml(file.content)).toEqual({ runsc_config: {} });
    expect(file.content.endsWith('[runsc_config]\n')).toBe(true);
    // Falco's init container greps the file for this text and adds nothing when it finds it.
    expect(file.content).not.toContain('pod-init-config');
    // A line appended to the file (as Falco's gVisor init container does) is a runsc flag.
    expect(toml(`${file.content}  pod-init-config = "/run/containerd/runsc/pod-init.json"\n`)).toEqual({
      runsc_config: { 'pod-init-config': '/run/containerd/runsc/pod-init.json' },
    });
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
        // The release the node boots, as a label: upgrade Plans skip nodes already on it.
        'agent-platform.io/k3s-boot-release': 'v1.35.8-k3s1',
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
