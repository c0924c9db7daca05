/**
 * The boot scripts, executed: the join-or-initialize decision of control-plane servers and
 * the verified k3s install, run by bash against fake `curl`/`sleep`/`uname` (on PATH)
 * that play the network. What is asserted is what the node would do: the k3s config
 * drop-in it writes, whether it installs the binary, and the error it stops with.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { K3S_RELEASES } from '../../../config';
import { renderCloudInit } from '../../../infra/hcloud/cloud-init';
import { CLUSTER_DROPIN_PATH } from '../../../infra/hcloud/cluster-membership';
import { K3S_BINARY_SHA256, k3sInstallScript } from '../../../infra/hcloud/k3s-install';
import { poolBootstrap } from '../../../infra/hcloud/node-bootstrap';
import { stackSpec } from '../../support/environments';

const API = 'https://10.10.3.250:6443';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'boot-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fakeCommand(name: string, body: string): void {
  const path = join(dir, 'bin', name);
  execFileSync('mkdir', ['-p', join(dir, 'bin')]);
  writeFileSync(path, `#!/bin/bash\n${body}\n`);
  chmodSync(path, 0o755);
}

/** The bootstrap script of control-plane server `index`, exactly as its user data carries it. */
function serverBootstrap(index: number): string {
  const spec = stackSpec('staging');
  const pool = spec.nodePools.find((p) => p.role === 'control-plane')!;
  const userData = renderCloudInit({
    ...poolBootstrap(spec, pool),
    role: 'server',
    token: index === 0 ? 'server-secret' : 'K10abc::server:server-secret',
    serverUrl: API,
    server: { mayInitialize: index === 0, agentToken: 'agent-secret', tlsSans: ['10.10.3.250'], disable: [] },
  });
  const files = (parse(userData) as { write_files: { path: string; content: string }[] }).write_files;
  return files.find((f) => f.path.endsWith('k3s-bootstrap.sh'))!.content;
}

/** Runs the membership step of a rendered bootstrap script, with the cluster answering or not. */
function runMembership(script: string, clusterAnswers: boolean, dropin = join(dir, 'membership.yaml')) {
  const start = script.indexOf("API_URL='");
  const end = script.indexOf('\ndecide_cluster_membership\n') + '\ndecide_cluster_membership\n'.length;
  expect(start).toBeGreaterThan(0);
  const step = script.slice(start, end).replace(CLUSTER_DROPIN_PATH, dropin);
  fakeCommand('curl', `echo "$*" >> '${dir}/curl.log'; exit ${clusterAnswers ? 0 : 7}`);
  fakeCommand('sleep', 'exit 0');
  const result = spawnSync('bash', ['-c', `set -euo pipefail\n${step}`], {
    env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin` },
    encoding: 'utf8',
  });
  return {
    status: result.status,
    stderr: result.stderr,
    dropin: existsSync(dropin) ? readFileSync(dropin, 'utf8') : undefined,
    probes: existsSync(join(dir, 'curl.log')) ? readFileSync(join(dir, 'curl.log'), 'utf8').trim().split('\n') : [],
  };
}

describe('control-plane membership at first boot', () => {
  it('first boot of a fresh cluster: server 0 finds no cluster and initializes one', () => {
    const run = runMembership(serverBootstrap(0), false);
    expect(run.status).toBe(0);
    expect(run.dropin).toBe('cluster-init: true\n');
    expect(run.probes).toHaveLength(12);
    expect(run.probes[0]).toContain(`${API}/ping`);
  });

  it('a replaced server 0 finds the running cluster and joins it instead of forking a new one', () => {
    const run = runMembership(serverBootstrap(0), true);
    expect(run.status).toBe(0);
    expect(run.dropin).toBe(`server: ${API}\n`);
  });

  it('a replaced (or first-boot) joiner joins the cluster that answers', () => {
    const run = runMembership(serverBootstrap(2), true);
    expect(run.status).toBe(0);
    expect(run.dropin).toBe(`server: ${API}\n`);
  });

  it('a joiner never initializes: with no cluster answering it fails the boot and writes nothing', () => {
    const run = runMembership(serverBootstrap(1), false);
    expect(run.status).toBe(1);
    expect(run.dropin).toBeUndefined();
    expect(run.probes).toHaveLength(180);
    expect(run.stderr).toContain(
      `no cluster answers at ${API} after 1800 s; this server only joins, it never initializes`,
    );
  });

  it('keeps an earlier decision when the step runs again (cloud-init re-run): no new probe, no new cluster-init', () => {
    const dropin = join(dir, 'membership.yaml');
    writeFileSync(dropin, `server: ${API}\n`);
    const run = runMembership(serverBootstrap(0), false, dropin);
    expect(run.status).toBe(0);
    expect(run.dropin).toBe(`server: ${API}\n`);
    expect(run.probes).toEqual([]);
  });
});

describe('verified k3s install', () => {
  const RELEASE = 'v1.31.14+k3s1';
  const BINARY = 'not really k3s\n';
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');

  /** Runs install_k3s with GitHub played by a fake curl serving `binary` and `sums`. */
  function install(options: { binary?: string; sums: string; pins?: Record<string, Record<string, string>> }) {
    const target = join(dir, 'k3s');
    const script = k3sInstallScript(RELEASE, options.pins ?? {})
      .replace("'/usr/local/bin/k3s'", `'${target}'`)
      .replace('"/usr/local/bin/${link}"', `"${dir}/\${link}"`)
      .replace('install -m 0755 -o root -g root', 'install -m 0755');
    writeFileSync(join(dir, 'binary'), options.binary ?? BINARY);
    writeFileSync(join(dir, 'sums'), options.sums);
    fakeCommand('uname', 'echo x86_64');
    fakeCommand(
      'curl',
      [
        'out=""; url=""',
        'while [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift 2 ;; -*) shift ;; *) url="$1"; shift ;; esac; done',
        `echo "$url" >> '${dir}/curl.log'`,
        `case "$url" in *sha256sum-amd64.txt) cp '${dir}/sums' "$out" ;; */k3s) cp '${dir}/binary' "$out" ;; *) exit 22 ;; esac`,
      ].join('\n'),
    );
    const result = spawnSync('bash', ['-c', `set -euo pipefail\n${script}\ninstall_k3s`], {
      env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin` },
      encoding: 'utf8',
    });
    return {
      status: result.status,
      stderr: result.stderr,
      installed: existsSync(target),
      urls: readFileSync(join(dir, 'curl.log'), 'utf8').trim().split('\n'),
    };
  }

  it('downloads only the pinned release binary and its published sums, and installs a matching binary', () => {
    const run = install({ sums: `${sha(BINARY)}  k3s\n${'0'.repeat(64)}  k3s-airgap-images-amd64.tar\n` });
    expect(run.status).toBe(0);
    expect(run.installed).toBe(true);
    expect(run.urls).toEqual([
      'https://github.com/k3s-io/k3s/releases/download/v1.31.14%2Bk3s1/k3s',
      'https://github.com/k3s-io/k3s/releases/download/v1.31.14%2Bk3s1/sha256sum-amd64.txt',
    ]);
  });

  it('refuses a binary that does not match the published sum', () => {
    const run = install({ binary: 'tampered\n', sums: `${sha(BINARY)}  k3s\n` });
    expect(run.status).not.toBe(0);
    expect(run.installed).toBe(false);
  });

  it('refuses a release whose published sum differs from the pinned one, even if binary and sums agree', () => {
    const pinned = 'a'.repeat(64);
    const run = install({ sums: `${sha(BINARY)}  k3s\n`, pins: { [RELEASE]: { amd64: pinned } } });
    expect(run.status).not.toBe(0);
    expect(run.installed).toBe(false);
    expect(run.stderr).toContain(`k3s is published as ${sha(BINARY)}, pinned as ${pinned}; refusing it`);
  });

  it('refuses sums without a line for the binary', () => {
    const run = install({ sums: `${'0'.repeat(64)}  k3s-airgap-images-amd64.tar\n` });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('sha256sum-amd64.txt has no line for k3s');
  });

  it.each(Object.values(K3S_RELEASES))('%s, a release the stacks run, is pinned for both architectures', (release) => {
    const pins = K3S_BINARY_SHA256[release];
    expect(Object.keys(pins ?? {}).sort()).toEqual(['amd64', 'arm64']);
    const script = k3sInstallScript(release);
    expect(script).toContain(`x86_64) arch=amd64; asset=k3s; pinned='${pins!.amd64!}' ;;`);
    expect(script).toContain(`aarch64) arch=arm64; asset=k3s-arm64; pinned='${pins!.arm64!}' ;;`);
  });

  it('refuses a malformed pin and a malformed release at render time', () => {
    expect(() => k3sInstallScript(RELEASE, { [RELEASE]: { arm64: 'abc' } })).toThrow(
      `K3S_BINARY_SHA256["${RELEASE}"].arm64 ("abc") must be 64 lower-case hex digits (the line for the binary in the release's sha256sum-arm64.txt)`,
    );
    expect(() => k3sInstallScript('1.31')).toThrow('k3s release "1.31" must look like v1.31.14+k3s1');
  });
});
