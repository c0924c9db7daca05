import { find, findingsOf, gate, platform, type Obj } from './fixtures';
import { formatText, toJson } from '../../policy';
import { stackSpec } from '../support/environments';

const spec = stackSpec('staging');
const base = platform(spec);
const fresh = (): Obj[] => structuredClone(base);
const run = (objects: Obj[]) => gate(objects, { spec });

function withWritableRoot(objects: Obj[]): Obj {
  const api = find(objects, 'Deployment', 'api');
  api.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
  return api;
}

describe('waivers', () => {
  it('an annotation naming the rule, with a reason, waives that rule on that object only; the report lists it', () => {
    const objects = fresh();
    const api = withWritableRoot(objects);
    find(objects, 'PodTemplate', 'agent-starter').template.spec.containers[0].securityContext.readOnlyRootFilesystem =
      false;
    api.metadata.annotations = {
      'policy.agent-platform.io/waive.hygiene.read-only-root':
        'Next.js writes its cache next to the build; tracked in #123',
    };
    const report = run(objects);
    expect(findingsOf(report, 'hygiene.read-only-root').map((f) => f.object.name)).toEqual(['agent-starter']);
    expect(report.waived).toEqual([
      expect.objectContaining({
        rule: 'hygiene.read-only-root',
        object: expect.objectContaining({ kind: 'Deployment', name: 'api' }),
        reason: 'Next.js writes its cache next to the build; tracked in #123',
      }),
    ]);
    expect(report.waivers).toEqual([
      expect.objectContaining({ rule: 'hygiene.read-only-root', suppressed: 1, file: 'fixture.yaml' }),
    ]);
    expect(formatText(report)).toContain(
      'waivers (1):\n  [hygiene.read-only-root] Deployment lobstack-control-plane/api (fixture.yaml): suppresses 1; reason: Next.js writes',
    );
    expect(JSON.parse(toJson([report])).reports[0].waivers[0].reason).toContain('Next.js');
  });

  it('a waiver without a reason is an error and waives nothing', () => {
    const objects = fresh();
    withWritableRoot(objects).metadata.annotations = { 'policy.agent-platform.io/waive.hygiene.read-only-root': 'yes' };
    const report = run(objects);
    expect(findingsOf(report, 'hygiene.read-only-root')).toHaveLength(1);
    expect(findingsOf(report, 'policy.waiver')[0]).toMatchObject({
      path: 'metadata.annotations["policy.agent-platform.io/waive.hygiene.read-only-root"]',
      message: 'waiver of hygiene.read-only-root gives no reason (got "yes")',
    });
  });

  it('a waiver naming no rule of the gate is an error', () => {
    const objects = fresh();
    find(objects, 'Service', 'api').metadata.annotations = {
      'policy.agent-platform.io/waive.hygiene': 'all hygiene is optional',
    };
    expect(findingsOf(run(objects), 'policy.waiver')[0]?.message).toBe(
      'waives "hygiene", which is not a rule of the gate',
    );
  });

  it('a waiver that suppresses nothing is reported as stale', () => {
    const objects = fresh();
    find(objects, 'Service', 'api').metadata.annotations = {
      'policy.agent-platform.io/waive.ref.selector': 'selects pods created by an operator outside dist/',
    };
    const report = run(objects);
    expect(report.passed).toBe(true);
    expect(formatText(report)).toContain('suppresses nothing (stale)');
  });

  it('a waiver on a pod template is flagged: waivers go on the object itself', () => {
    const objects = fresh();
    const api = withWritableRoot(objects);
    api.spec.template.metadata.annotations = {
      'policy.agent-platform.io/waive.hygiene.read-only-root': 'Next.js writes its cache next to the build',
    };
    const report = run(objects);
    expect(findingsOf(report, 'hygiene.read-only-root')).toHaveLength(1);
    expect(findingsOf(report, 'policy.waiver')[0]).toMatchObject({
      path: 'spec.template.metadata.annotations["policy.agent-platform.io/waive.hygiene.read-only-root"]',
      fix: "move policy.agent-platform.io/waive.hygiene.read-only-root to the Deployment's metadata.annotations",
    });
  });
});
