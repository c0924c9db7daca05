import { ADDON_CHARTS, ADDON_NAMES, namespaceOf, type EnvironmentSpec } from '../../../config';
import {
  ADDON_DEFINITIONS,
  addonCatalogue,
  addonGraph,
  checkCrdOrdering,
  definitionOf,
  resolveChart,
} from '../../../infra/addons/catalogue';
import { findCycle, topologicalOrder } from '../../../infra/addons/graph';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';
import { awsRaw } from '../support';

/** Where each add-on installs, by namespace key (or a literal namespace). */
const EXPECTED_NAMESPACE: Record<string, (spec: EnvironmentSpec) => string> = {
  keda: (s) => namespaceOf(s, 'keda').name,
  vpa: (s) => namespaceOf(s, 'vpa').name,
  metricsServer: () => 'kube-system',
  prometheusAdapter: (s) => namespaceOf(s, 'monitoring').name,
  kubePrometheusStack: (s) => namespaceOf(s, 'monitoring').name,
  falco: (s) => namespaceOf(s, 'falco').name,
  vault: (s) => namespaceOf(s, 'vault').name,
  istioBase: () => 'istio-system',
  istioCni: () => 'kube-system',
  istiod: () => 'istio-system',
  istioGateway: (s) => namespaceOf(s, 'ingress').name,
  clusterAutoscaler: () => 'kube-system',
  hcloudCcm: () => 'kube-system',
  hcloudCsi: () => 'kube-system',
  velero: (spec) => namespaceOf(spec, 'backup').name,
  awsLoadBalancerController: () => 'kube-system',
  nvidiaDevicePlugin: () => 'kube-system',
  certManager: () => 'cert-manager',
  externalDns: () => 'external-dns',
  fluentBit: (s) => namespaceOf(s, 'logging').name,
  falcosidekick: (s) => namespaceOf(s, 'monitoring').name,
};

const before = (order: string[], a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));

describe.each(['staging', 'prod'] as const)('catalogue of %s', (stack) => {
  const spec = stackSpec(stack);
  const catalogue = addonCatalogue(spec);

  test('lists every pinned add-on exactly once', () => {
    expect(catalogue.map((e) => e.name).sort()).toEqual([...ADDON_NAMES].sort());
  });

  test.each([...ADDON_NAMES])('%s: pinned chart, repository and version', (name) => {
    const entry = catalogue.find((e) => e.name === name)!;
    expect(entry).toMatchObject({
      chart: ADDON_CHARTS[name].chart,
      repository: ADDON_CHARTS[name].repository,
      version: ADDON_CHARTS[name].version,
      versionOverridden: false,
    });
  });

  test('every enabled add-on installs into its catalogued namespace', () => {
    for (const entry of catalogue.filter((e) => e.enabled)) {
      expect({ name: entry.name, namespace: entry.namespace }).toEqual({
        name: entry.name,
        namespace: EXPECTED_NAMESPACE[entry.name]!(spec),
      });
    }
  });

  test('on hcloud (k3s) everything but metrics-server (k3s bundles its own), the snapshot controller (no snapshot class) and the EKS/GPU add-ons is enabled', () => {
    expect(catalogue.filter((e) => !e.enabled).map((e) => e.name)).toEqual([
      'snapshotController',
      'awsLoadBalancerController',
      'metricsServer',
      'nvidiaDevicePlugin',
    ]);
  });

  test('the graph has no cycle and installs CRD and platform dependencies first', () => {
    const graph = addonGraph(spec);
    expect(findCycle(graph)).toBeUndefined();
    const order = topologicalOrder(graph);
    before(order, 'istioBase', 'istioCni');
    before(order, 'istioCni', 'istiod');
    before(order, 'istiod', 'istioGateway');
    before(order, 'kubePrometheusStack', 'prometheusAdapter');
    before(order, 'hcloudCcm', 'hcloudCsi');
    before(order, 'hcloudCsi', 'vault');
    before(order, 'hcloudCsi', 'kubePrometheusStack');
    before(order, 'hcloudCcm', 'clusterAutoscaler');
  });

  test('every CRD group an add-on creates objects of is installed by one of its dependencies', () => {
    expect(() => checkCrdOrdering(spec)).not.toThrow();
    expect(catalogue.find((e) => e.name === 'keda')!.usesCrdGroups).toEqual(['monitoring.coreos.com']);
    expect(addonGraph(spec).get('keda')).toContain('kubePrometheusStack');
  });

  test('CRD groups per add-on', () => {
    const groups = Object.fromEntries(
      catalogue.filter((e) => e.crdGroups.length > 0).map((e) => [e.name, e.crdGroups]),
    );
    expect(groups).toEqual({
      awsLoadBalancerController: ['elbv2.k8s.aws', 'aga.k8s.aws', 'gateway.k8s.aws'],
      keda: ['keda.sh', 'eventing.keda.sh'],
      vpa: ['autoscaling.k8s.io'],
      kubePrometheusStack: ['monitoring.coreos.com'],
      istioBase: ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'],
      snapshotController: ['snapshot.storage.k8s.io', 'groupsnapshot.storage.k8s.io'],
      certManager: ['cert-manager.io', 'acme.cert-manager.io'],
      velero: ['velero.io'],
    });
  });

  test('admission webhooks: KEDA, the Prometheus operator, istiod, cert-manager and the Vault injector (VPA admission off)', () => {
    expect(catalogue.filter((e) => e.admissionWebhooks).map((e) => e.name)).toEqual([
      'istiod',
      'kubePrometheusStack',
      'keda',
      'certManager',
      'vault',
    ]);
  });
});

describe('catalogue options', () => {
  test('a chartVersion in the stack file overrides the pin for that environment only', () => {
    const raw = rawStack('staging');
    raw.addons.vault = { ...raw.addons.vault, chartVersion: '0.34.1' };
    const spec = parseRaw(raw);
    expect(resolveChart(definitionOf('vault'), spec)).toMatchObject({ version: '0.34.1', overridden: true });
    expect(addonCatalogue(spec).find((e) => e.name === 'vault')).toMatchObject({
      version: '0.34.1',
      versionOverridden: true,
    });
    expect(resolveChart(definitionOf('keda'), spec).version).toBe(ADDON_CHARTS.keda.version);
  });

  test('the Istio chartVersion moves all four Istio charts together', () => {
    // Only 1.30.3 is known to config/kubernetes-support.ts, so parsing would refuse another
    // version: the override is set on the resolved spec to show how it is applied.
    const staging = parseRaw(rawStack('staging'));
    const spec = {
      ...staging,
      addons: { ...staging.addons, istio: { ...staging.addons.istio, chartVersion: '1.30.4' } },
    };
    for (const name of ['istioBase', 'istioCni', 'istiod', 'istioGateway'] as const) {
      expect(resolveChart(definitionOf(name), spec).version).toBe('1.30.4');
    }
  });

  test('metrics-server source "chart" installs the chart (and KEDA and VPA then wait for it)', () => {
    const raw = rawStack('staging');
    raw.addons.metricsServer = { source: 'chart' };
    const spec = parseRaw(raw);
    const graph = addonGraph(spec);
    expect(graph.has('metricsServer')).toBe(true);
    expect(graph.get('keda')).toContain('metricsServer');
    expect(graph.get('vpa')).toContain('metricsServer');
  });

  test('on aws: metrics-server from the chart, no Hetzner CCM/CSI, no cycle', () => {
    const spec = parseRaw(awsRaw());
    const enabled = addonCatalogue(spec).filter((e) => e.enabled);
    expect(enabled.map((e) => e.name)).toContain('metricsServer');
    expect(enabled.map((e) => e.name)).not.toContain('hcloudCcm');
    expect(enabled.map((e) => e.name)).not.toContain('hcloudCsi');
    expect(findCycle(addonGraph(spec))).toBeUndefined();
    // Dependencies on disabled add-ons are dropped, not dangling.
    expect(addonGraph(spec).get('vault')).toEqual([]);
  });

  test('a disabled add-on is absent from the graph and has no namespace', () => {
    const raw = rawStack('staging');
    raw.addons.falco = { enabled: false };
    const spec = parseRaw(raw);
    expect(addonGraph(spec).has('falco')).toBe(false);
    expect(addonCatalogue(spec).find((e) => e.name === 'falco')).toMatchObject({ enabled: false });
    expect(addonCatalogue(spec).find((e) => e.name === 'falco')!.namespace).toBeUndefined();
  });

  test('VPA admission controller enabled: VPA counts as a webhook provider', () => {
    const raw = rawStack('staging');
    raw.addons.vpa = { admissionController: true };
    expect(addonCatalogue(parseRaw(raw)).find((e) => e.name === 'vpa')!.admissionWebhooks).toBe(true);
  });

  test('refuses a graph where an add-on would create CRs before their CRDs exist', () => {
    const spec = stackSpec('staging');
    const graph = new Map(addonGraph(spec));
    graph.set('keda', []);
    expect(() => checkCrdOrdering(spec, graph)).toThrow(
      'add-on CRD ordering:\n  - keda creates monitoring.coreos.com objects but does not depend on an enabled add-on ' +
        "that installs them (kubePrometheusStack); add it to keda's dependsOn in infra/addons/",
    );
  });

  test('without kube-prometheus-stack KEDA creates no ServiceMonitors and needs no Prometheus CRDs', () => {
    const raw = rawStack('staging');
    raw.addons.kubePrometheusStack = { enabled: false };
    raw.addons.prometheusAdapter = { enabled: false };
    delete raw.controlPlaneApi.autoscaling.requestsPerSecond;
    const spec = parseRaw(raw);
    expect(definitionOf('keda').usesCrdGroups!(spec)).toEqual([]);
    expect(() => checkCrdOrdering(spec)).not.toThrow();
  });

  test('definitions declare only dependencies that exist', () => {
    const spec = stackSpec('prod');
    for (const def of ADDON_DEFINITIONS) {
      for (const dep of def.dependsOn(spec)) expect(ADDON_NAMES).toContain(dep);
    }
  });
});

describe('the snapshot controller', () => {
  test('is installed where a VolumeSnapshotClass is declared, and only there', () => {
    const raw = rawStack('staging');
    expect(addonCatalogue(parseRaw(raw)).find((e) => e.name === 'snapshotController')!.enabled).toBe(false);
    const aws = awsRaw();
    aws.volumeSnapshotClasses = [{ name: 'ebs', driver: 'ebs.csi.aws.com' }];
    const entry = addonCatalogue(parseRaw(aws)).find((e) => e.name === 'snapshotController')!;
    expect(entry).toMatchObject({ enabled: true, namespace: 'kube-system', chart: 'snapshot-controller' });
  });
});
