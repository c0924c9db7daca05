/* eslint-disable @typescript-eslint/no-explicit-any */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GVISOR_HANDLER, GVISOR_RELEASE } from '../../../config';
import {
  gvisorContainerdSnippet,
  gvisorInstallScript,
  gvisorUserData,
  USER_DATA_BOUNDARY,
} from '../../../infra/aws/gvisor-user-data';

interface MimePart {
  readonly contentType: string;
  readonly payload: string;
}

/**
 * Splits the user data with Python's email parser (what cloud-init uses) and, for each
 * part, its media type and body. nodeadm reads the same document with Go's net/mail +
 * mime/multipart and keeps the `application/node.eks.aws` parts.
 */
function mimeParts(document: string): { multipart: boolean; parts: MimePart[] } {
  const program = [
    'import email, json, sys',
    'msg = email.message_from_string(sys.stdin.read())',
    'parts = [{"contentType": p.get_content_type(), "payload": p.get_payload()} for p in msg.walk() if not p.is_multipart()]',
    'print(json.dumps({"multipart": msg.is_multipart(), "parts": parts}))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', program], { input: document, encoding: 'utf8' })) as {
    multipart: boolean;
    parts: MimePart[];
  };
}

/** A TOML document as data, read by Python's tomllib (containerd reads TOML, not text). */
function toml(text: string): Record<string, any> {
  const program = 'import json, sys, tomllib\nprint(json.dumps(tomllib.loads(sys.stdin.read())))';
  return JSON.parse(execFileSync('python3', ['-c', program], { input: text, encoding: 'utf8' })) as Record<string, any>;
}

describe('gVisor user data (AL2023, nodeadm)', () => {
  const userData = gvisorUserData();
  const script = gvisorInstallScript();

  it('is the MIME multipart document nodeadm reads: a NodeConfig part, then the install script', () => {
    expect(
      userData.startsWith(`MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="${USER_DATA_BOUNDARY}"\n\n`),
    ).toBe(true);
    expect(userData).not.toContain('\r');
    const { multipart, parts } = mimeParts(userData);
    expect(multipart).toBe(true);
    expect(parts.map((p) => p.contentType)).toEqual(['application/node.eks.aws', 'text/x-shellscript']);
    expect(parts[1]!.payload).toBe(script);
    const nodeConfig = parse(parts[0]!.payload) as Record<string, any>;
    expect(nodeConfig).toEqual({
      apiVersion: 'node.eks.aws/v1alpha1',
      kind: 'NodeConfig',
      spec: { containerd: { config: gvisorContainerdSnippet() } },
    });
  });

  it('registers runsc through the NodeConfig containerd snippet, which nodeadm merges on every boot', () => {
    const nodeConfig = parse(mimeParts(userData).parts[0]!.payload) as { spec: { containerd: { config: string } } };
    const config = toml(nodeConfig.spec.containerd.config);
    expect(config).toEqual({
      plugins: {
        'io.containerd.grpc.v1.cri': {
          containerd: {
            runtimes: {
              [GVISOR_HANDLER]: {
                runtime_type: 'io.containerd.runsc.v1',
                // The runsc shim reads its configuration (and runsc flags) from this file
                // (gVisor g3doc/user_guide/containerd/configuration.md).
                options: { TypeUrl: 'io.containerd.runsc.v1.options', ConfigPath: '/etc/containerd/runsc.toml' },
              },
            },
          },
        },
      },
    });
    // Version-2 keys only: nodeadm then uses its v2 template and migrates to v3 on containerd 2
    // (amazon-eks-ami nodeadm/internal/containerd/config.go Version3configInNodeConfig).
    expect(nodeConfig.spec.containerd.config).not.toMatch(/io\.containerd\.cri\.v1\.(images|runtime)/);
  });

  it('writes the runsc shim config once, before kubelet starts, and keeps one that exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gvisor-shim-'));
    const bin = join(dir, 'bin');
    execFileSync('mkdir', [bin]);
    // Everything but the file write is played by fakes; the file goes under dir.
    const target = join(dir, 'etc/containerd/runsc.toml');
    const run = (): void => {
      const section = script.slice(script.indexOf('# The shim'), script.lastIndexOf('fi\n') + 3);
      execFileSync('bash', ['-c', `set -euo pipefail\n${section.replaceAll('/etc/containerd/runsc.toml', target)}`]);
    };
    run();
    const written = execFileSync('cat', [target], { encoding: 'utf8' });
    expect(toml(written)).toEqual({ runsc_config: {} });
    expect(written.endsWith('[runsc_config]\n')).toBe(true);
    expect(written).not.toContain('pod-init-config'); // Falco's init container greps for it
    // Falco's gVisor init container appended its line; a second run (cloud-init re-run) keeps it.
    writeFileSync(target, `${written}  pod-init-config = "/run/containerd/runsc/pod-init.json"\n`);
    run();
    expect(toml(execFileSync('cat', [target], { encoding: 'utf8' }))).toEqual({
      runsc_config: { 'pod-init-config': '/run/containerd/runsc/pod-init.json' },
    });
    expect(script.indexOf('/etc/containerd/runsc.toml')).toBeGreaterThan(script.indexOf('install -m 0755'));
  });

  it('leaves /etc/containerd/config.toml to nodeadm: the once-per-instance script does not edit it', () => {
    expect(script).not.toContain('/etc/containerd/config.toml');
    expect(script).not.toMatch(/systemctl restart containerd/);
  });

  it('downloads the pinned release of runsc and the containerd shim, and verifies SHA-512 sums', () => {
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    expect(script).toContain(`RELEASE='${GVISOR_RELEASE}'`);
    expect(script).toContain('https://storage.googleapis.com/gvisor/releases/release/${RELEASE}/${ARCH}');
    expect(script).toContain('for file in runsc runsc.sha512 containerd-shim-runsc-v1 containerd-shim-runsc-v1.sha512');
    expect(script).toContain('sha512sum --check --strict runsc.sha512 containerd-shim-runsc-v1.sha512');
    expect(script).toContain('install -m 0755 -o root -g root runsc containerd-shim-runsc-v1 /usr/local/bin/');
    // The checksum check comes before the install.
    expect(script.indexOf('sha512sum')).toBeLessThan(script.indexOf('install -m'));
  });

  it('fails closed: any error keeps kubelet from starting on this node', () => {
    expect(script).toContain('set -euo pipefail');
    expect(script).toContain('trap fail_closed ERR');
    expect(script).toContain('systemctl mask --runtime kubelet.service nodeadm-run.service');
  });

  it('masks kubelet when a download fails, and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gvisor-fail-'));
    const bin = join(dir, 'bin');
    const log = join(dir, 'systemctl.log');
    execFileSync('mkdir', [bin]);
    writeFileSync(
      join(bin, 'curl'),
      '#!/bin/sh\necho "curl: (22) The requested URL returned error: 404" >&2\nexit 22\n',
      {
        mode: 0o755,
      },
    );
    writeFileSync(join(bin, 'systemctl'), `#!/bin/sh\necho "$@" >> '${log}'\n`, { mode: 0o755 });
    const file = join(dir, 'install.sh');
    writeFileSync(file, script);
    let status = 0;
    try {
      execFileSync('bash', [file], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(22);
    expect(execFileSync('cat', [log], { encoding: 'utf8' })).toBe(
      'mask --runtime kubelet.service nodeadm-run.service\n',
    );
  });

  it('is valid bash', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gvisor-')), 'install.sh');
    writeFileSync(file, script);
    expect(() => execFileSync('bash', ['-n', file])).not.toThrow();
  });

  it('takes another release and handler', () => {
    const custom = gvisorUserData({ release: '20250101.0', handler: 'gvisor' });
    expect(custom).toContain("RELEASE='20250101.0'");
    expect(custom).toContain('containerd.runtimes.gvisor]');
  });

  it('refuses a release that is not yyyymmdd.n and a handler that is not a DNS label', () => {
    expect(() => gvisorInstallScript({ release: 'latest; rm -rf /' })).toThrow(
      'gVisor release "latest; rm -rf /" must look like 20251110.0 (yyyymmdd.n, see config/versions.ts GVISOR_RELEASE)',
    );
    expect(() => gvisorInstallScript({ handler: 'Run SC' })).toThrow(
      'runtime handler "Run SC" must be a DNS label such as runsc',
    );
  });
});
