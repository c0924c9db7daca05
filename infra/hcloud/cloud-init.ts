/**
 * The one cloud-init renderer. Static servers (control plane and workers) and the
 * nodes the cluster autoscaler adds all boot from `renderCloudInit`, so an autoscaled
 * node is configured exactly like a node the program created: same k3s release,
 * labels, taints, kubelet flags and (on gVisor pools) the same runsc setup.
 *
 * Everything is written by `write_files` before `runcmd` installs k3s, so k3s's very
 * first start already sees its config file, its systemd unit and the containerd template.
 * Control-plane servers decide at boot whether to join or initialize
 * (cluster-membership.ts); the k3s binary is verified before it is installed
 * (k3s-install.ts).
 *
 * What a node's user data holds (Hetzner's metadata service serves it to anything on the
 * node that can reach 169.254.169.254): agents, the agent token only; servers, the server
 * secret and the agent secret. No CA key is ever in user data: k3s generates its CAs.
 * The rendering is pure (plain strings in, a string out); callers resolve Pulumi outputs
 * first and keep the result a Pulumi secret.
 */
import { stringify } from 'yaml';
import { BACKUP_SECRETS } from '../../config';
import { clusterMembershipScript, INITIALIZER_PROBE, JOINER_PROBE } from './cluster-membership';
import { containerdTemplate, runscInstallScript } from './gvisor';
import { k3sInstallScript, k3sSystemdUnit, k3sUnitName } from './k3s-install';
import { HCLOUD_LIMITS, K3S_CLUSTER_CIDR, K3S_SERVICE_CIDR } from './limits';

export const K3S_CONFIG_PATH = '/etc/rancher/k3s/config.yaml';
export const K3S_NETWORK_DROPIN_PATH = '/etc/rancher/k3s/config.yaml.d/10-private-network.yaml';
export const BOOTSTRAP_SCRIPT_PATH = '/usr/local/lib/agent-platform/k3s-bootstrap.sh';

export interface BootFile {
  readonly path: string;
  readonly content: string;
  /** Octal mode, e.g. `0600`. */
  readonly permissions: string;
}

export interface ServerBootstrap {
  /**
   * true for the one server allowed to initialize the cluster when none answers on the
   * API load balancer (server 0); every other server only ever joins.
   */
  readonly mayInitialize: boolean;
  /** The bare agent secret (k3s `agent-token`): what agents join with. */
  readonly agentToken: string;
  /** Extra names/IPs in the API serving certificate (the load balancer's private IP). */
  readonly tlsSans: readonly string[];
  /** Packaged components k3s must not deploy (`traefik`, `servicelb`, ...). */
  readonly disable: readonly string[];
  /**
   * Files the API server reads at its first start (the audit policy, the OIDC
   * authentication configuration: infra/hcloud/api-server-config.ts). Never a secret:
   * user data is readable on the node.
   */
  readonly files?: readonly BootFile[];
  /** `kube-apiserver-arg` values (audit log, OIDC: infra/hcloud/api-server-config.ts). */
  readonly apiServerArgs?: readonly string[];
  /** Scheduled etcd snapshots to the object storage (config/backup.ts). @default - k3s's defaults, local only */
  readonly etcdSnapshots?: EtcdSnapshotSettings;
}

export interface EtcdSnapshotSettings {
  /** Five-field cron (k3s `etcd-snapshot-schedule-cron`). */
  readonly schedule: string;
  /** Snapshots kept, locally and in the bucket (`etcd-snapshot-retention`). */
  readonly retention: number;
}

/**
 * k3s's snapshot settings: the schedule and retention, and S3 configured from the
 * kube-system Secret named by `etcd-s3-config-secret` (used when `etcd-s3` is set and
 * no other `etcd-s3-*` option is; docs.k3s.io cli/etcd-snapshot, "S3 Configuration
 * Secret Support"), so no credential is ever in the node's config or user data.
 */
export function etcdSnapshotConfig(settings: EtcdSnapshotSettings): Record<string, unknown> {
  return {
    'etcd-snapshot-schedule-cron': settings.schedule,
    'etcd-snapshot-retention': settings.retention,
    'etcd-snapshot-compress': true,
    'etcd-s3': true,
    'etcd-s3-config-secret': BACKUP_SECRETS.etcd,
  };
}

export interface NodeBootstrap {
  readonly role: 'server' | 'agent';
  /** Pinned k3s release, e.g. `v1.31.14+k3s1`. */
  readonly k3sRelease: string;
  /**
   * What this node authenticates with (secret): agents, the agent token
   * (`K10<ca hash>::node:<secret>`); servers, the server secret (bare on server 0,
   * `K10<ca hash>::server:<secret>` on the others).
   */
  readonly token: string;
  /** `https://<api lb private ip>:6443`: what agents join and servers probe or join. */
  readonly serverUrl: string;
  /** The private network; the node's k3s address is the one it has inside this range. */
  readonly networkCidr: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `key=value:Effect` strings (config/contract.ts taintString). */
  readonly taints: readonly string[];
  /** gVisor release to install with the runsc runtime; absent on non-gVisor pools. */
  readonly gvisorRelease?: string;
  readonly server?: ServerBootstrap;
}

/**
 * The k3s config file of a node (the flags, as k3s's config.yaml keys). A server's
 * `server:` or `cluster-init:` is not here: it is decided at boot (cluster-membership.ts)
 * and written to its own drop-in.
 */
export function k3sConfig(node: NodeBootstrap): Record<string, unknown> {
  if (node.role === 'server' && !node.server) throw new Error('a k3s server needs its server settings');
  if (node.role === 'agent' && node.server) throw new Error('a k3s agent must not carry server settings');
  if (!node.serverUrl) throw new Error(`a k3s ${node.role} needs serverUrl`);
  const config: Record<string, unknown> = { token: node.token };
  if (node.role === 'agent') config.server = node.serverUrl;
  if (node.role === 'server' && node.server) {
    Object.assign(config, {
      // Agents join with this, never with the server token (join-token.ts).
      'agent-token': node.server.agentToken,
      'cluster-cidr': K3S_CLUSTER_CIDR,
      'service-cidr': K3S_SERVICE_CIDR,
      disable: [...node.server.disable],
      'tls-san': [...node.server.tlsSans],
      // The hcloud cloud controller manager add-on initializes nodes.
      'disable-cloud-controller': true,
      'secrets-encryption': true,
      'write-kubeconfig-mode': '0600',
      ...(node.server.apiServerArgs?.length ? { 'kube-apiserver-arg': [...node.server.apiServerArgs] } : {}),
      ...(node.server.etcdSnapshots ? etcdSnapshotConfig(node.server.etcdSnapshots) : {}),
    });
  }
  Object.assign(config, {
    'kubelet-arg': ['cloud-provider=external'],
    'node-label': Object.entries(node.labels).map(([k, v]) => `${k}=${v}`),
    'node-taint': [...node.taints],
  });
  return config;
}

function bootstrapScript(node: NodeBootstrap): string {
  const isServer = node.role === 'server';
  const lines = [
    '#!/bin/bash',
    '# Written by agent-platform (infra/hcloud). Runs once from cloud-init, before k3s exists.',
    'set -euo pipefail',
    `NETWORK_CIDR='${node.networkCidr}'`,
    '',
    '# 1. The private network address. Hetzner configures the private interface shortly after',
    '#    boot; k3s and flannel must use it (never the public interface).',
    'in_network() {',
    '  python3 -c "import ipaddress,sys; sys.exit(0 if ipaddress.ip_address(sys.argv[1]) in ipaddress.ip_network(sys.argv[2]) else 1)" "$1" "$2"',
    '}',
    'private_ip=""',
    'private_iface=""',
    'for _ in $(seq 1 120); do',
    '  while read -r iface cidr; do',
    '    if in_network "${cidr%/*}" "${NETWORK_CIDR}"; then private_ip="${cidr%/*}"; private_iface="${iface}"; break; fi',
    "  done < <(ip -o -4 addr show scope global | awk '{print $2, $4}')",
    '  if [ -n "${private_ip}" ]; then break; fi',
    '  sleep 2',
    'done',
    'if [ -z "${private_ip}" ]; then',
    '  echo "agent-platform: no address in ${NETWORK_CIDR} after 240 s; is the server attached to the network?" >&2',
    '  exit 1',
    'fi',
    `mkdir -p "$(dirname '${K3S_NETWORK_DROPIN_PATH}')"`,
    `cat > '${K3S_NETWORK_DROPIN_PATH}' <<EOF`,
    'node-ip: ${private_ip}',
    'flannel-iface: ${private_iface}',
    ...(isServer ? ['advertise-address: ${private_ip}'] : []),
    'EOF',
    `chmod 0600 '${K3S_NETWORK_DROPIN_PATH}'`,
  ];
  if (node.gvisorRelease) {
    lines.push(
      '',
      `# 2. gVisor ${node.gvisorRelease}: runsc and its containerd shim (the runtime is registered by`,
      '#    the containerd template cloud-init already wrote).',
      runscInstallScript(node.gvisorRelease),
      'install_gvisor',
    );
  }
  if (node.server) {
    lines.push(
      '',
      '# 3. Join the cluster that answers on the API load balancer, or initialize one (server 0 only).',
      clusterMembershipScript({
        apiUrl: node.serverUrl,
        mayInitialize: node.server.mayInitialize,
        ...(node.server.mayInitialize ? INITIALIZER_PROBE : JOINER_PROBE),
      }),
    );
  }
  lines.push(
    '',
    `# 4. k3s ${node.k3sRelease}: the pinned binary, checked against its sha256 (no install script).`,
    k3sInstallScript(node.k3sRelease),
    'install_k3s',
    'systemctl daemon-reload',
    `systemctl enable --now ${k3sUnitName(node.role)}`,
    '',
  );
  return lines.join('\n');
}

/** The `#cloud-config` user data of a node. Throws when it exceeds Hetzner's 32 KiB limit. */
export function renderCloudInit(node: NodeBootstrap): string {
  const files: BootFile[] = [
    { path: K3S_CONFIG_PATH, content: stringify(k3sConfig(node), { lineWidth: 0 }), permissions: '0600' },
    ...(node.server?.files ?? []),
  ];
  const unit = k3sSystemdUnit(node.role);
  files.push({ path: unit.path, content: unit.content, permissions: '0644' });
  if (node.gvisorRelease) {
    const template = containerdTemplate(node.k3sRelease);
    files.push({ path: template.path, content: template.content, permissions: '0644' });
  }
  files.push({ path: BOOTSTRAP_SCRIPT_PATH, content: bootstrapScript(node), permissions: '0700' });
  const document = {
    write_files: files.map((f) => ({
      path: f.path,
      content: f.content,
      permissions: f.permissions,
      owner: 'root:root',
    })),
    runcmd: [[BOOTSTRAP_SCRIPT_PATH]],
  };
  const userData = `#cloud-config\n${stringify(document, { lineWidth: 0 })}`;
  const size = Buffer.byteLength(userData, 'utf8');
  if (size > HCLOUD_LIMITS.userDataBytes) {
    throw new Error(
      `cloud-init of a ${node.role} node is ${size} bytes; Hetzner accepts at most ${HCLOUD_LIMITS.userDataBytes}`,
    );
  }
  return userData;
}
