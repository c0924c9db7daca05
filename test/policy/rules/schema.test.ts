import { find, findingsOf, gate, platform, type Obj } from '../fixtures';
import { stackSpec } from '../../support/environments';

const spec = stackSpec('staging');
const base = platform(spec);
const fresh = (): Obj[] => structuredClone(base);
const schemaOnly = (objects: Obj[], kubernetesVersion = '1.31') =>
  gate(objects, { families: ['schema'], kubernetesVersion });

describe('schema rules', () => {
  it('accepts every object of the compliant platform (built-in kinds and CRDs)', () => {
    expect(schemaOnly(fresh()).findings).toEqual([]);
  });

  it('schema.unknown-field: a misspelt field of a built-in kind, with the allowed fields', () => {
    const objects = fresh();
    find(objects, 'Deployment', 'api').spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    const [f] = findingsOf(schemaOnly(objects), 'schema.unknown-field');
    expect(f).toMatchObject({
      severity: 'error',
      object: { kind: 'Deployment', name: 'api' },
      path: 'spec.template.spec.containers[0].imagePullPolicyy',
      message: 'unknown field "imagePullPolicyy" (not in Kubernetes 1.31 apps/v1 Deployment)',
    });
    expect(f!.fix).toContain('imagePullPolicy');
  });

  it('schema.unknown-field: unknown metadata fields too', () => {
    const objects = fresh();
    find(objects, 'Service', 'api').metadata.label = { a: 'b' };
    expect(findingsOf(schemaOnly(objects), 'schema.unknown-field').map((f) => f.path)).toEqual(['metadata.label']);
  });

  it('schema.invalid: wrong types, quantities and int-or-string', () => {
    const objects = fresh();
    const deployment = find(objects, 'Deployment', 'api');
    const c = deployment.spec.template.spec.containers[0];
    c.ports[0].containerPort = 'http';
    c.resources.requests.cpu = '1x';
    deployment.spec.strategy.rollingUpdate.maxSurge = true;
    const messages = findingsOf(schemaOnly(objects), 'schema.invalid').map((f) => `${f.path}: ${f.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'spec.template.spec.containers[0].ports[0].containerPort: must be integer, got "http"',
        'spec.template.spec.containers[0].resources.requests.cpu: must be a quantity such as 500m, 2, 512Mi or 1Gi, got "1x"',
        'spec.strategy.rollingUpdate.maxSurge: must be an integer or a string, got true',
      ]),
    );
  });

  it('schema.invalid: a missing required field', () => {
    const objects = fresh();
    delete find(objects, 'Deployment', 'api').spec.selector;
    expect(findingsOf(schemaOnly(objects), 'schema.invalid')[0]).toMatchObject({
      path: 'spec.selector',
      message: 'required field "selector" is missing',
    });
  });

  it('CRDs: unknown fields are errors; x-kubernetes-int-or-string accepts both forms', () => {
    const objects = fresh();
    find(objects, 'ScaledObject', 'agent-warm-pool').spec.pollingIntervall = 15;
    const vpa = find(objects, 'VerticalPodAutoscaler', 'api');
    vpa.spec.resourcePolicy = { containerPolicies: [{ containerName: '*', minAllowed: { cpu: 1, memory: '64Mi' } }] };
    const report = schemaOnly(objects);
    expect(report.findings.map((f) => `${f.rule} ${f.path}: ${f.message}`)).toEqual([
      'schema.unknown-field spec.pollingIntervall: unknown field "pollingIntervall" (not in the keda.sh/v1alpha1 ScaledObject CRD schema)',
    ]);
    vpa.spec.resourcePolicy.containerPolicies[0].minAllowed.cpu = true;
    expect(findingsOf(schemaOnly(objects), 'schema.invalid')[0]).toMatchObject({
      path: 'spec.resourcePolicy.containerPolicies[0].minAllowed.cpu',
      message: 'must be an integer or a string, got true',
    });
  });

  it('CRDs: metadata is validated as ObjectMeta', () => {
    const objects = fresh();
    find(objects, 'PodMonitor', 'agents').metadata.labelz = {};
    expect(findingsOf(schemaOnly(objects), 'schema.unknown-field')[0]?.path).toBe('metadata.labelz');
  });

  it('schema.removed-api: policy/v1beta1 PodDisruptionBudget and autoscaling/v2beta2 HPA on 1.31', () => {
    const objects = fresh();
    find(objects, 'PodDisruptionBudget', 'api').apiVersion = 'policy/v1beta1';
    find(objects, 'HorizontalPodAutoscaler', 'api').apiVersion = 'autoscaling/v2beta2';
    const removed = findingsOf(schemaOnly(objects), 'schema.removed-api');
    expect(removed.map((f) => f.message)).toEqual([
      'autoscaling/v2beta2 HorizontalPodAutoscaler was removed in Kubernetes 1.26; the target is 1.31',
      'policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25; the target is 1.31',
    ]);
    expect(removed[1]!.fix).toBe('use policy/v1');
  });

  it('schema.deprecated-api: flowcontrol v1beta3 warns on 1.31 and is removed on 1.34', () => {
    const flowSchema = {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
      kind: 'FlowSchema',
      metadata: { name: 'agents' },
      spec: { priorityLevelConfiguration: { name: 'workload-low' } },
    };
    const on131 = schemaOnly([flowSchema], '1.31');
    expect(on131.findings).toEqual([
      expect.objectContaining({
        rule: 'schema.deprecated-api',
        severity: 'warning',
        message:
          'flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is deprecated since Kubernetes 1.29 and removed in 1.32',
      }),
    ]);
    expect(on131.passed).toBe(true);
    expect(findingsOf(schemaOnly([flowSchema], '1.34'), 'schema.removed-api')[0]?.severity).toBe('error');
  });

  it('schema.removed-api: a CRD version its CRD no longer serves (VPA v1beta2)', () => {
    const objects = fresh();
    find(objects, 'VerticalPodAutoscaler', 'api').apiVersion = 'autoscaling.k8s.io/v1beta2';
    expect(findingsOf(schemaOnly(objects), 'schema.removed-api')[0]).toMatchObject({
      message: expect.stringContaining('autoscaling.k8s.io/v1beta2 VerticalPodAutoscaler is not served by its CRD'),
      fix: 'use autoscaling.k8s.io/v1',
    });
  });

  it('schema.unknown-kind: a kind neither Kubernetes nor a known CRD defines', () => {
    const report = schemaOnly([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]);
    expect(report.findings[0]).toMatchObject({ rule: 'schema.unknown-kind', path: 'apiVersion' });
    expect(report.findings[0]!.message).toContain('example.com/v1 Widget is neither a built-in kind nor a CRD');
    expect(report.findings[0]!.fix).toContain('--crds');
  });

  it('schema.identity and schema.duplicate', () => {
    const objects = fresh();
    objects.push({ apiVersion: 'v1', metadata: { name: 'x' } });
    objects.push(structuredClone(find(objects, 'Service', 'api')));
    const report = schemaOnly(objects);
    expect(findingsOf(report, 'schema.identity')[0]?.message).toBe('is not a Kubernetes object: kind missing');
    expect(findingsOf(report, 'schema.duplicate')[0]?.message).toMatch(
      /^Service lobstack-control-plane\/api is defined twice/,
    );
  });

  it('judges each Kubernetes minor against its own schema (1.28, 1.31, 1.34)', () => {
    for (const minor of ['1.28', '1.34']) {
      // admissionregistration.k8s.io/v1 policies are served from 1.30 on (the model refuses agents before).
      const objects = fresh().filter(
        (o) => minor !== '1.28' || !String(o.kind).startsWith('ValidatingAdmissionPolicy'),
      );
      expect(schemaOnly(objects, minor).findings).toEqual([]);
    }
  });

  it('knows no ValidatingAdmissionPolicy v1 on 1.28', () => {
    const kinds = schemaOnly(fresh(), '1.28')
      .findings.filter((f) => f.rule === 'schema.unknown-kind')
      .map((f) => f.object.kind);
    expect(new Set(kinds)).toEqual(new Set(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']));
  });

  it('CRDs defined in the manifests validate their custom objects', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { size: { type: 'integer', minimum: 1 } } } },
              },
            },
          },
        ],
      },
    };
    const widget = (spec: unknown) => ({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'x' },
      spec,
    });
    expect(schemaOnly([crd, widget({ size: 2 })]).findings).toEqual([]);
    expect(
      schemaOnly([crd, widget({ size: 0, colour: 'red' })]).findings.map((f) => `${f.rule} ${f.path}: ${f.message}`),
    ).toEqual([
      'schema.invalid spec.size: 0 must be >= 1',
      'schema.unknown-field spec.colour: unknown field "colour" (not in the example.com/v1 Widget CRD schema)',
    ]);
  });

  it('schema.unknown-kind: a version the CRD does not define names the versions it serves', () => {
    const objects = fresh();
    find(objects, 'ScaledObject', 'agent-warm-pool').apiVersion = 'keda.sh/v1';
    expect(findingsOf(schemaOnly(objects), 'schema.unknown-kind')[0]).toMatchObject({
      message: 'keda.sh/v1 ScaledObject: its CRD serves only keda.sh/v1alpha1',
      fix: 'use apiVersion keda.sh/v1alpha1',
    });
  });
});
