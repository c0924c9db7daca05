import { find, gate, platform, type Obj } from './fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES, formatText, summaryLine, toJson } from '../../policy';
import { REPO_ROOT, stackSpec } from '../support/environments';

const spec = stackSpec('staging');
const objects: Obj[] = platform(spec);
find(objects, 'Deployment', 'api').spec.template.spec.containers[0].image = 'ghcr.io/example/api:latest';

describe('report', () => {
  const report = gate(objects, { spec });

  it('text: a summary, then per finding the rule, object, place, what and how to fix', () => {
    expect(summaryLine(report)).toBe(
      `policy gate (staging): 1 error, 0 warnings, 0 waived findings in ${objects.length} objects (Kubernetes 1.35)`,
    );
    expect(formatText(report)).toContain(
      [
        'ERROR [hygiene.image-pinned] Deployment lobstack-control-plane/api',
        '  at   fixture.yaml  spec.template.spec.containers[0].image',
        '  what container "api" image "ghcr.io/example/api:latest" uses the floating tag latest',
        '  fix  pin the image to a version tag (name:1.2.3) or a digest (name@sha256:…)',
      ].join('\n'),
    );
  });

  it('json: machine-readable, one entry per stack', () => {
    const json = JSON.parse(toJson([report]));
    expect(json).toMatchObject({ format: 1, passed: false });
    expect(json.reports[0]).toMatchObject({ stack: 'staging', kubernetesVersion: '1.35', errors: 1, warnings: 0 });
    expect(json.reports[0].findings[0]).toEqual({
      rule: 'hygiene.image-pinned',
      severity: 'error',
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'lobstack-control-plane', name: 'api' },
      file: 'fixture.yaml',
      path: 'spec.template.spec.containers[0].image',
      message: 'container "api" image "ghcr.io/example/api:latest" uses the floating tag latest',
      fix: 'pin the image to a version tag (name:1.2.3) or a digest (name@sha256:…)',
    });
  });
});

describe('policy/README.md', () => {
  it('documents every rule id', () => {
    const readme = readFileSync(join(REPO_ROOT, 'policy', 'README.md'), 'utf8');
    const missing = [...ALL_RULES.keys()].filter((id) => id !== 'policy.waiver' && !readme.includes(`\`${id}\``));
    expect(missing).toEqual([]);
  });
});
