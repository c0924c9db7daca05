import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  expandTemplate,
  SchemaStore,
  SchemaUnavailableError,
  upstreamCrdUrls,
  UPSTREAM_K8S_SCHEMAS,
} from '../../policy';
import { REPO_ROOT, SHARED_ROOT } from '../support/environments';

describe('schema locations (kubeconform style)', () => {
  it('expands folder locations and URL templates per minor', () => {
    expect(expandTemplate('/schemas', '1.31')).toBe('/schemas/v1.31.0');
    expect(expandTemplate(UPSTREAM_K8S_SCHEMAS, '1.34')).toBe(
      'https://raw.githubusercontent.com/cdk8s-team/cdk8s/master/kubernetes-schemas/v1.34.0/_definitions.json',
    );
    expect(expandTemplate('https://example.com/k8s/{{ .KubernetesVersion }}/defs.json', '1.28')).toBe(
      'https://example.com/k8s/1.28/defs.json',
    );
  });

  it('defaults to ../shared when present; the CRD URLs of cdk8s.yaml otherwise', () => {
    const store = new SchemaStore({ root: REPO_ROOT });
    expect(store.schemaLocations).toEqual([join(SHARED_ROOT, 'k8s-schemas')]);
    expect(store.crdLocations).toEqual([join(SHARED_ROOT, 'crds')]);
    const urls = upstreamCrdUrls(REPO_ROOT);
    expect(urls).toContain(
      'https://raw.githubusercontent.com/kedacore/keda/v2.20.2/config/crd/bases/keda.sh_scaledobjects.yaml',
    );
    // Istio's five CRDs come from one combined file: listed once.
    expect(urls.filter((u) => u.includes('istio/api'))).toHaveLength(1);
  });

  it('reads a URL location from the cache without the network', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'schema-cache-'));
    const url = 'https://schemas.example.invalid/{{ .NormalizedKubernetesVersion }}/_definitions.json';
    const expanded = expandTemplate(url, '1.31');
    const name = `${createHash('sha256').update(expanded).digest('hex').slice(0, 32)}.cache`;
    mkdirSync(cacheDir, { recursive: true });
    const defs = {
      definitions: {
        'io.k8s.api.core.v1.ConfigMap': {
          type: 'object',
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            metadata: { type: 'object' },
            data: { type: 'object' },
          },
          'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'ConfigMap' }],
        },
      },
    };
    writeFileSync(join(cacheDir, name), JSON.stringify(defs));
    const store = new SchemaStore({ schemaLocations: [url], crdLocations: [], cacheDir });
    const validate = store.builtinValidator('1.31', '', 'v1', 'ConfigMap')!;
    expect(validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, dataa: {} })[0]?.message).toBe(
      'unknown field "dataa" (not in Kubernetes 1.31 v1 ConfigMap)',
    );
  });

  it('says which locations it tried when a minor has no schema', () => {
    const store = new SchemaStore({ schemaLocations: ['/nonexistent/schemas'], crdLocations: [] });
    expect(() => store.definitions('1.31')).toThrow(SchemaUnavailableError);
    expect(() => store.definitions('1.31')).toThrow(
      'no Kubernetes 1.31 schema found (tried: /nonexistent/schemas/v1.31.0); pass --schemas <folder or URL template>',
    );
  });

  it('finds a CRD version by group, version and kind, and knows what it does not serve', () => {
    const store = new SchemaStore({ root: REPO_ROOT });
    expect(store.crd('keda.sh', 'v1alpha1', 'ScaledObject')).toMatchObject({
      scope: 'Namespaced',
      served: true,
      source: join(SHARED_ROOT, 'crds', 'keda.sh_scaledobjects.yaml'),
    });
    expect(store.crd('autoscaling.k8s.io', 'v1beta2', 'VerticalPodAutoscaler')).toMatchObject({
      served: false,
      deprecated: true,
      storageVersion: 'v1',
    });
    expect(store.crd('example.com', 'v1', 'Widget')).toBeUndefined();
  });
});
