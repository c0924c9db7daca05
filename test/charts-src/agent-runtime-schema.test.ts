/**
 * Every object of the agent runtime chart validates strictly (unknown fields are errors) against
 * the Kubernetes OpenAPI definitions of the stack's minor, or its CRD's openAPIV3Schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdk8s';
import Ajv, { type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { AgentRuntimeChart } from '../../charts-src/charts/agent-runtime';
import { SHARED_ROOT, stackSpec } from '../support/environments';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Closes every object schema that lists properties, so an unknown field fails. */
function closeSchemas(node: Json): Json {
  if (Array.isArray(node)) return node.map(closeSchemas);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'description' || k.startsWith('x-kubernetes-') || k === 'format') continue;
    out[k] = closeSchemas(v);
  }
  if (out.properties && out.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

function builtinValidators(version: string): (apiVersion: string, kind: string) => ValidateFunction | undefined {
  const file = join(SHARED_ROOT, 'k8s-schemas', `v${version}.0`, '_definitions.json');
  const definitions = closeSchemas(JSON.parse(readFileSync(file, 'utf8')).definitions);
  const raw = JSON.parse(readFileSync(file, 'utf8')).definitions as Record<string, Json>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'k8s', definitions });
  const cache = new Map<string, ValidateFunction>();
  return (apiVersion, kind) => {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const name = Object.keys(raw).find((key) =>
      (raw[key]['x-kubernetes-group-version-kind'] ?? []).some(
        (gvk: Json) => gvk.group === group && gvk.version === version && gvk.kind === kind,
      ),
    );
    if (!name) return undefined;
    if (!cache.has(name)) cache.set(name, ajv.compile({ $ref: `k8s#/definitions/${name}` }));
    return cache.get(name);
  };
}

function crdValidator(file: string, version: string): ValidateFunction {
  const [crd] = parseAllDocuments(readFileSync(join(SHARED_ROOT, 'crds', file), 'utf8')).map((d) => d.toJSON());
  const served = crd.spec.versions.find((v: Json) => v.name === version);
  const schema = closeSchemas(served.schema.openAPIV3Schema);
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

describe.each(['staging', 'prod'] as const)('%s agent runtime objects validate against their schemas', (stack) => {
  const spec = stackSpec(stack);
  const objects: Json[] = new AgentRuntimeChart(new App(), 'agent-runtime', spec).toJson();
  const builtin = builtinValidators(spec.kubernetes.version);
  const crds: Record<string, ValidateFunction> = {
    'keda.sh/v1alpha1/ScaledObject': crdValidator('keda.sh_scaledobjects.yaml', 'v1alpha1'),
    'keda.sh/v1alpha1/TriggerAuthentication': crdValidator('keda.sh_triggerauthentications.yaml', 'v1alpha1'),
    'monitoring.coreos.com/v1/PodMonitor': crdValidator('monitoring.coreos.com_podmonitors.yaml', 'v1'),
  };

  it('the validators reject unknown fields (so a pass means something)', () => {
    const template = structuredClone(objects.find((o) => o.kind === 'PodTemplate'));
    template.template.spec.containers[0].securityContxt = {};
    expect(builtin('v1', 'PodTemplate')!(template)).toBe(false);
    const so = structuredClone(objects.find((o) => o.kind === 'ScaledObject'));
    so.spec.maxReplicas = 3;
    expect(crds['keda.sh/v1alpha1/ScaledObject']!(so)).toBe(false);
  });

  it.each(objects.map((o) => [`${o.kind} ${o.metadata.name}`, o]))('%s', (_name, object) => {
    const validate = crds[`${object.apiVersion}/${object.kind}`] ?? builtin(object.apiVersion, object.kind);
    expect(validate).toBeDefined();
    const ok = validate!(object);
    expect(validate!.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});
