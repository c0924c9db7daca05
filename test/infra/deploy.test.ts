import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentDigest, sha256 } from '../../config';
import {
  DistError,
  apiGroupOf,
  checkReplicaOwnership,
  customApiGroups,
  readReviewedDist,
  type ReviewedDist,
} from '../../infra/deploy';
import { fromObjects, runGate } from '../../policy';
import { REPO_ROOT, stackSpec } from '../support/environments';
import { committedFile, writeDist } from './support';

const staging = stackSpec('staging');
const namespaces = { name: 'namespaces.yaml', content: committedFile('staging', 'namespaces.yaml') };

const HPA_TARGETED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: lobstack-control-plane
spec:
  replicas: 3
  selector: { matchLabels: { app: api } }
  template: { metadata: { labels: { app: api } }, spec: { containers: [{ name: api, image: 'ghcr.io/x/api:1.0.0' }] } }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
  namespace: lobstack-control-plane
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
  minReplicas: 3
  maxReplicas: 20
`;

const SCALED_OBJECT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: agent-warm-pool
  namespace: lobstack-agents
spec:
  replicas: 0
  selector: { matchLabels: { app: warm } }
  template: { metadata: { labels: { app: warm } }, spec: { containers: [{ name: a, image: 'ghcr.io/x/a:1.0.0' }] } }
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: agent-warm-pool
  namespace: lobstack-agents
spec:
  scaleTargetRef: { name: agent-warm-pool }
  triggers: [{ type: cpu, metricType: Utilization, metadata: { value: '75' } }]
`;

/** The message of the DistError `fn` throws. */
function distError(fn: () => unknown): DistError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DistError);
    return error as DistError;
  }
  throw new Error('expected a DistError');
}

describe('readReviewedDist', () => {
  test.each(['staging', 'prod'] as const)(
    'accepts the committed dist/%s/ and reads exactly its indexed files',
    (stack) => {
      const spec = stackSpec(stack);
      const dist = readReviewedDist(spec, join(REPO_ROOT, 'dist'));
      expect(dist.stack).toBe(stack);
      expect(dist.files.map((f) => f.file)).toEqual(dist.index.files.map((f) => f.file));
      for (const f of dist.files) {
        expect(f.content).toBe(committedFile(stack, f.file));
        expect(f.sha256).toBe(sha256(committedFile(stack, f.file)));
      }
      expect(dist.files[0]!.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(
        spec.namespaces.map((n) => n.name),
      );
    },
  );

  test('keeps index order (the apply order)', () => {
    const second = { name: 'b-second.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n' };
    const third = { name: 'a-third.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' };
    const dist = readReviewedDist(staging, writeDist(staging, [namespaces, second, third]));
    expect(dist.files.map((f) => f.file)).toEqual(['namespaces.yaml', 'b-second.yaml', 'a-third.yaml']);
  });

  test('refuses a stale dist/ (environment digest differs) naming both digests and the fix', () => {
    const root = writeDist(staging, [namespaces], (index) => {
      index.environmentDigest = 'f'.repeat(64);
    });
    const error = distError(() => readReviewedDist(staging, root));
    expect(error.message).toContain(
      `dist/staging/ is stale: index.json has environmentDigest ffffffffffff…, but Pulumi.staging.yaml now resolves to ${environmentDigest(staging).slice(0, 12)}…`,
    );
    expect(error.message).toContain('refusing to deploy dist/staging/ (nothing was changed)');
    expect(error.message).toContain('Fix: run `npm run synth`, review the diff and commit dist/.');
  });

  test('refuses a dist/ rendered for another stack', () => {
    const root = writeDist(staging, [namespaces], (index) => {
      index.stack = 'prod';
    });
    expect(distError(() => readReviewedDist(staging, root)).problems).toContain(
      'dist/staging/index.json was rendered for stack "prod", not "staging" (copied from another stack\'s folder?)',
    );
  });

  test("refuses prod's dist copied into the staging folder: stack and digest both named", () => {
    const prod = stackSpec('prod');
    const root = writeDist(
      staging,
      [{ name: 'namespaces.yaml', content: committedFile('prod', 'namespaces.yaml') }],
      (index) => {
        index.stack = 'prod';
        index.environmentDigest = environmentDigest(prod);
      },
    );
    const problems = distError(() => readReviewedDist(staging, root)).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe(
      'dist/staging/index.json was rendered for stack "prod", not "staging" (copied from another stack\'s folder?)',
    );
    expect(problems[1]).toMatch(/^dist\/staging\/ is stale: /);
  });

  test('refuses a file changed after synth', () => {
    const root = writeDist(staging, [namespaces]);
    writeFileSync(join(root, 'staging', 'namespaces.yaml'), `${namespaces.content}# edited by hand\n`);
    const problem = distError(() => readReviewedDist(staging, root)).problems[0]!;
    expect(problem).toMatch(
      /^dist\/staging\/namespaces\.yaml was changed after synth: its sha256 is [0-9a-f]{12}…, index\.json lists [0-9a-f]{12}…$/,
    );
  });

  test('refuses an unlisted .yaml in the folder', () => {
    const root = writeDist(staging, [namespaces]);
    writeFileSync(join(root, 'staging', 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    expect(distError(() => readReviewedDist(staging, root)).problems).toEqual([
      'dist/staging/extra.yaml is not listed in index.json: only reviewed files are applied (delete it or synth)',
    ]);
  });

  test('refuses a listed file that is missing', () => {
    const other = { name: 'workloads.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' };
    const root = writeDist(staging, [namespaces, other]);
    rmSync(join(root, 'staging', 'workloads.yaml'));
    expect(distError(() => readReviewedDist(staging, root)).problems).toEqual([
      'dist/staging/workloads.yaml is listed in index.json but missing',
    ]);
  });

  test('refuses a missing dist/<stack>/ folder', () => {
    const root = writeDist(stackSpec('prod'), [namespaces]);
    expect(distError(() => readReviewedDist(staging, root)).problems[0]).toMatch(
      /^dist\/staging\/index\.json does not exist \(looked in .*staging\)$/,
    );
  });

  test('refuses an index without namespaces.yaml', () => {
    const only = { name: 'workloads.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' };
    expect(distError(() => readReviewedDist(staging, writeDist(staging, [only]))).problems).toEqual([
      'dist/staging/index.json does not list namespaces.yaml, which is applied before the add-ons',
    ]);
  });

  test('refuses a file name that escapes the folder', () => {
    const root = writeDist(staging, [namespaces], (index) => {
      (index.files as { file: string }[]).push({ file: '../prod/namespaces.yaml', sha256: 'x' } as never);
    });
    expect(distError(() => readReviewedDist(staging, root)).problems).toEqual([
      'dist/staging/index.json files[1] ("../prod/namespaces.yaml") is not a plain .yaml file name',
    ]);
  });

  test('refuses an index that is not JSON, and one of the wrong shape', () => {
    const root = writeDist(staging, [namespaces]);
    writeFileSync(join(root, 'staging', 'index.json'), '{ nope');
    expect(distError(() => readReviewedDist(staging, root)).problems[0]).toMatch(
      /^dist\/staging\/index\.json is not valid JSON/,
    );
    writeFileSync(join(root, 'staging', 'index.json'), '{"stack": 1}');
    expect(distError(() => readReviewedDist(staging, root)).problems).toEqual([
      'dist/staging/index.json is not a dist index: "stack" must be a string; "environmentDigest" must be a string; "files" must be a list of { file, sha256 }',
    ]);
  });

  test('reports every problem at once', () => {
    const root = writeDist(staging, [namespaces], (index) => {
      index.stack = 'prod';
      index.environmentDigest = '0'.repeat(64);
    });
    writeFileSync(join(root, 'staging', 'stray.yaml'), 'x: 1\n');
    expect(distError(() => readReviewedDist(staging, root)).problems).toHaveLength(3);
  });
});

describe('checkReplicaOwnership', () => {
  const distOf = (content: string): ReviewedDist =>
    readReviewedDist(staging, writeDist(staging, [namespaces, { name: 'workloads.yaml', content }]));

  test('refuses a Deployment with spec.replicas targeted by an HPA', () => {
    const error = distError(() => checkReplicaOwnership(distOf(HPA_TARGETED)));
    expect(error.problems).toEqual([
      'dist/staging/workloads.yaml: Deployment lobstack-control-plane/api is scaled by ' +
        'HorizontalPodAutoscaler lobstack-control-plane/api but sets spec.replicas (3); every apply resets what the ' +
        'autoscaler chose (ref.autoscaled-replicas). Remove spec.replicas and let the autoscaler own the replica ' +
        'count in charts-src',
    ]);
  });

  test('refuses a Deployment with spec.replicas targeted by a KEDA ScaledObject (kind defaults to Deployment)', () => {
    const error = distError(() => checkReplicaOwnership(distOf(SCALED_OBJECT)));
    expect(error.problems[0]).toContain(
      'Deployment lobstack-agents/agent-warm-pool is scaled by ScaledObject lobstack-agents/agent-warm-pool but sets spec.replicas (0)',
    );
  });

  test('is the gate rule ref.autoscaled-replicas: both refuse the same objects with the same message', () => {
    const dist = distOf(HPA_TARGETED + '---\n' + SCALED_OBJECT);
    const manifests = dist.files.flatMap((f) => fromObjects(f.objects, f.file));
    const gate = runGate(manifests, { families: ['references'] }).findings.filter(
      (f) => f.rule === 'ref.autoscaled-replicas',
    );
    expect(gate.map((f) => `${f.object.kind} ${f.object.namespace}/${f.object.name}`)).toEqual([
      'Deployment lobstack-control-plane/api',
      'Deployment lobstack-agents/agent-warm-pool',
    ]);
    const problems = distError(() => checkReplicaOwnership(dist)).problems;
    expect(problems).toHaveLength(2);
    gate.forEach((finding, i) => expect(problems[i]).toContain(finding.message));
  });

  test('accepts autoscaled workloads without spec.replicas, and fixed-size ones with it', () => {
    const withoutReplicas = HPA_TARGETED.replace('  replicas: 3\n', '');
    expect(() => checkReplicaOwnership(distOf(withoutReplicas))).not.toThrow();
    // The HPA targets a Deployment of the same name in another namespace: this one is fixed-size.
    const otherNamespace = HPA_TARGETED.replace(
      'namespace: lobstack-control-plane\nspec:\n  scaleTargetRef',
      'namespace: lobstack-ingress\nspec:\n  scaleTargetRef',
    );
    expect(() => checkReplicaOwnership(distOf(otherNamespace))).not.toThrow();
  });
});

describe('API groups', () => {
  test('apiGroupOf', () => {
    expect(apiGroupOf('v1')).toBe('');
    expect(apiGroupOf('apps/v1')).toBe('apps');
    expect(apiGroupOf('keda.sh/v1alpha1')).toBe('keda.sh');
  });

  test('customApiGroups lists only groups that need an add-on', () => {
    const dist = readReviewedDist(
      staging,
      writeDist(staging, [namespaces, { name: 'workloads.yaml', content: HPA_TARGETED + '---\n' + SCALED_OBJECT }]),
    );
    expect([...customApiGroups(dist.files[1]!).keys()]).toEqual(['keda.sh']);
  });
});
