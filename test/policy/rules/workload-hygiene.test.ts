import { find, findingsOf, gate, platform, type Obj } from '../fixtures';
import { imageParts } from '../../../policy/rules/workload-hygiene';
import { stackSpec } from '../../support/environments';

const base = platform(stackSpec('staging'));
const fresh = (): Obj[] => structuredClone(base);
const hygiene = (objects: Obj[]) => gate(objects, { families: ['workload-hygiene'], kubernetesVersion: '1.31' });
const api = (objects: Obj[]) => find(objects, 'Deployment', 'api');

describe('workload hygiene', () => {
  it('the compliant platform has no findings', () => {
    expect(hygiene(fresh()).findings).toEqual([]);
  });

  it('hygiene.resources: every container requests and limits CPU and memory', () => {
    const objects = fresh();
    const c = api(objects).spec.template.spec.containers[0];
    delete c.resources.limits.memory;
    delete c.resources.requests.cpu;
    expect(findingsOf(hygiene(objects), 'hygiene.resources')[0]).toMatchObject({
      path: 'spec.template.spec.containers[0].resources',
      message: 'container "api" has no requests.cpu, limits.memory',
    });
  });

  it('hygiene.resources: a limit below its request (the rule of config/rules/resources.ts)', () => {
    const objects = fresh();
    const c = api(objects).spec.template.spec.containers[0];
    c.resources.requests.memory = '4Gi';
    c.resources.limits.memory = '4096M';
    expect(findingsOf(hygiene(objects), 'hygiene.resources')).toMatchObject([
      {
        path: 'spec.template.spec.containers[0].resources.limits.memory',
        message: 'container "api" limits.memory 4096M is below requests.memory 4Gi: the API server refuses the pod',
      },
    ]);
  });

  it('hygiene.probes: long-running containers need readiness and liveness probes; Jobs do not', () => {
    const objects = fresh();
    delete api(objects).spec.template.spec.containers[0].readinessProbe;
    const job = structuredClone(api(objects));
    Object.assign(job, { apiVersion: 'batch/v1', kind: 'Job', metadata: { ...job.metadata, name: 'migrate' } });
    job.spec = { template: { ...job.spec.template, spec: { ...job.spec.template.spec, restartPolicy: 'Never' } } };
    objects.push(job);
    const findings = findingsOf(hygiene(objects), 'hygiene.probes');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      object: { kind: 'Deployment', name: 'api' },
      message: 'long-running container "api" has no readinessProbe',
    });
  });

  it.each([
    ['ghcr.io/example/api:latest', 'uses the floating tag latest'],
    ['ghcr.io/example/api', 'has no tag (it floats to latest)'],
    ['localhost:5000/api', 'has no tag (it floats to latest)'],
  ])('hygiene.image-pinned: %s', (image, message) => {
    const objects = fresh();
    api(objects).spec.template.spec.containers[0].image = image;
    expect(findingsOf(hygiene(objects), 'hygiene.image-pinned')[0]?.message).toBe(
      `container "api" image "${image}" ${message}`,
    );
  });

  it('a digest pins an image even without a tag', () => {
    expect(imageParts(`ghcr.io/a/b@sha256:${'a'.repeat(64)}`).digest).toMatch(/^sha256:/);
    expect(imageParts('registry:5000/a/b:1.2').tag).toBe('1.2');
    expect(imageParts('registry:5000/a/b').tag).toBeUndefined();
  });

  it('hygiene.service-account: pods under the default service account', () => {
    const objects = fresh();
    delete api(objects).spec.template.spec.serviceAccountName;
    expect(findingsOf(hygiene(objects), 'hygiene.service-account')[0]).toMatchObject({
      path: 'spec.template.spec.serviceAccountName',
      message: "pods run as the namespace's default service account",
    });
  });

  it('hygiene.token-automount: a token only for accounts some binding grants something', () => {
    const objects = fresh();
    // The API's account is bound by the orchestrator RoleBinding: its token is needed.
    expect(findingsOf(hygiene(objects), 'hygiene.token-automount')).toEqual([]);
    find(objects, 'PodTemplate', 'agent-starter').template.spec.automountServiceAccountToken = true;
    expect(findingsOf(hygiene(objects), 'hygiene.token-automount')[0]).toMatchObject({
      object: { kind: 'PodTemplate', name: 'agent-starter' },
      message:
        'pods mount an API token for service account "agent", which no RoleBinding or ClusterRoleBinding grants anything',
    });
  });

  it('hygiene.token-automount: the ServiceAccount default counts when the pod does not say', () => {
    const objects = fresh();
    delete find(objects, 'PodTemplate', 'agent-starter').template.spec.automountServiceAccountToken;
    expect(findingsOf(hygiene(objects), 'hygiene.token-automount')).toEqual([]);
    delete find(objects, 'ServiceAccount', 'agent').automountServiceAccountToken;
    expect(findingsOf(hygiene(objects), 'hygiene.token-automount')).toHaveLength(1);
  });

  it('hygiene.read-only-root: a writable root filesystem', () => {
    const objects = fresh();
    api(objects).spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
    expect(findingsOf(hygiene(objects), 'hygiene.read-only-root')[0]).toMatchObject({
      path: 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
      message: 'container "api" has a writable root filesystem',
    });
  });
});
