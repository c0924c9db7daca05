/**
 * `npm run import` leaves cdk8s.yaml exactly as it was: cdk8s-cli's `import <spec>`
 * appends the spec to `imports:` and rewrites the file without its comments, which the
 * script undoes. Run with a stand-in `npx` that does to cdk8s.yaml what cdk8s-cli does.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/environments';

/** Rewrites cdk8s.yaml as cdk8s-cli does (comments dropped, spec appended) and writes one module. */
const FAKE_NPX = `#!/usr/bin/env node
const fs = require('node:fs');
const yaml = require(${JSON.stringify(join(REPO_ROOT, 'node_modules', 'yaml'))});
const spec = process.argv[process.argv.length - 1];
const config = yaml.parse(fs.readFileSync('cdk8s.yaml', 'utf8'));
config.imports = [...(config.imports ?? []), spec];
fs.writeFileSync('cdk8s.yaml', yaml.stringify(config));
fs.writeFileSync('imports/' + spec.split(':=')[0] + '.ts', '// generated\\n');
`;

describe('scripts/import-crds.sh', () => {
  it('regenerates imports/ and restores cdk8s.yaml byte for byte (comments kept, no duplicate imports)', () => {
    const root = mkdtempSync(join(tmpdir(), 'import-'));
    mkdirSync(join(root, 'scripts'));
    copyFileSync(join(REPO_ROOT, 'scripts', 'import-crds.sh'), join(root, 'scripts', 'import-crds.sh'));
    copyFileSync(join(REPO_ROOT, 'cdk8s.yaml'), join(root, 'cdk8s.yaml'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'npx'), FAKE_NPX);
    chmodSync(join(bin, 'npx'), 0o755);
    execFileSync('bash', [join(root, 'scripts', 'import-crds.sh')], {
      cwd: root,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, CRDS_DIR: '/nonexistent' },
      stdio: 'pipe',
    });
    expect(readFileSync(join(root, 'cdk8s.yaml'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'cdk8s.yaml'), 'utf8'));
    expect(readdirSync(join(root, 'imports'))).toContain('keda-scaledobjects.ts');
  });
});
