import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GVISOR_HANDLER, GVISOR_RELEASE } from '../../../config';
import { gvisorInstallScript, gvisorUserData, USER_DATA_BOUNDARY } from '../../../infra/aws/gvisor-user-data';

describe('gVisor user data (AL2023, nodeadm)', () => {
  const userData = gvisorUserData();
  const script = gvisorInstallScript();

  it('is a MIME multipart document with one shell part, as EKS requires on AL2023', () => {
    const lines = userData.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${USER_DATA_BOUNDARY}"`,
      '',
    ]);
    expect(lines[3]).toBe(`--${USER_DATA_BOUNDARY}`);
    expect(lines[4]).toBe('Content-Type: text/x-shellscript; charset="us-ascii"');
    expect(userData.trimEnd().endsWith(`--${USER_DATA_BOUNDARY}--`)).toBe(true);
    expect(userData).toContain(script);
    expect(userData.split(`--${USER_DATA_BOUNDARY}`)).toHaveLength(3);
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

  it('registers the runsc runtime in the containerd config schema nodeadm wrote (v2 or v3)', () => {
    expect(GVISOR_HANDLER).toBe('runsc');
    expect(script).toContain('PLUGIN="plugins.\'io.containerd.cri.v1.runtime\'"');
    expect(script).toContain(`PLUGIN='plugins."io.containerd.grpc.v1.cri"'`);
    expect(script).toContain('[${PLUGIN}.containerd.runtimes.runsc]\nruntime_type = "io.containerd.runsc.v1"');
    expect(script).toContain('CONFIG=/etc/containerd/config.toml');
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

  it('registers the runtime for real against both containerd config versions', () => {
    // Run the registration part of the script against fake config files.
    const registration = script.slice(
      script.indexOf('CONFIG=/etc/containerd/config.toml'),
      script.indexOf('# nodeadm-run'),
    );
    for (const [version, table] of [
      ['2', `[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runsc]`],
      ['3', `[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runsc]`],
    ] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'containerd-'));
      const config = join(dir, 'config.toml');
      writeFileSync(config, `version = ${version}\nroot = "/var/lib/containerd"\n`);
      const body = registration.replace('CONFIG=/etc/containerd/config.toml', `CONFIG='${config}'`);
      // Twice: the second run must not add a duplicate table.
      execFileSync('bash', ['-euo', 'pipefail', '-c', `${body}\n${body}`]);
      const written = execFileSync('cat', [config], { encoding: 'utf8' });
      expect(written).toBe(
        `version = ${version}\nroot = "/var/lib/containerd"\n\n${table}\nruntime_type = "io.containerd.runsc.v1"\n`,
      );
    }
  });

  it('takes another release and handler', () => {
    const custom = gvisorInstallScript({ release: '20250101.0', handler: 'gvisor' });
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
