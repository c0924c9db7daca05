/**
 * definePlatform under Pulumi mocks, for both stacks: the add-on releases (pins,
 * namespaces, the values that matter, placement), the order (namespaces → add-ons →
 * manifests, CRD providers first), the manifests applied byte for byte, and the
 * refusals that happen before any resource is registered.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { installMocks, isSecret, valueOf, type RecordedResource } from '../support/pulumi-mocks';

const mocks = installMocks();

import {
  ADDON_CHARTS,
  CLUSTER_AUTOSCALER_TAGS,
  INGRESS_GATEWAY_LABELS,
  POOL_LABEL,
  namespaceOf,
  schedulingFor,
  type AddonName,
  type EnvironmentSpec,
} from '../../config';
import { addonCatalogue } from '../../infra/addons/catalogue';
import type { ClusterResult } from '../../infra/cluster';
import { DistError } from '../../infra/deploy';
import type { PlatformArgs, PlatformOutputs } from '../../infra/program';
import { parseRaw, stackSpec } from '../support/environments';
import {
  awsRaw,
  committedFile,
  committedFiles,
  FAKE_NETWORK,
  FAKE_TOKEN,
  fakeCluster,
  namespacesYaml,
  writeDist,
} from './support';

type Values = Record<string, unknown>;

async function settle(out: PlatformOutputs): Promise<void> {
  const urns = [
    ...Object.values(out.addons.releases).map((r) => r!.urn),
    ...Object.values(out.namespaces.groups).map((g) => g.urn),
    ...Object.values(out.manifests.groups).map((g) => g.urn),
  ];
  await valueOf(pulumi.all(urns));
}

interface Run {
  readonly out: PlatformOutputs;
  readonly cluster: ClusterResult;
  readonly resources: RecordedResource[];
  readonly providerRef: string;
}

async function run(spec: EnvironmentSpec, args: PlatformArgs = {}): Promise<Run> {
  mocks.reset();
  const { definePlatform } = await import('../../infra/program');
  const cluster = args.cluster ?? fakeCluster(spec);
  const out = definePlatform(spec, { ...args, cluster });
  await settle(out);
  const providerUrn = await valueOf(cluster.provider.urn);
  return { out, cluster, resources: [...mocks.resources], providerRef: `${providerUrn}::fake-k8s-id` };
}

const releasesOf = (r: Run) => r.resources.filter((x) => x.type === 'kubernetes:helm.sh/v3:Release');
const releaseInputs = (r: Run, release: string) => {
  const found = releasesOf(r).find((x) => x.inputs.name === release);
  if (!found) throw new Error(`no release ${release}`);
  return found.inputs as Values & { values: Values };
};
/** Pulumi's marker of a secret value in serialized inputs. */
const SECRET_SIG = { key: '4dabf18193072939515e22adb298388d', value: '1b47061264138c4ac30d75fd1eb44270' };
/** The plain value of an input the mock monitor saw as a secret (fails if it was not secret). */
function secretValue(input: unknown): Values {
  expect((input as Values)[SECRET_SIG.key]).toBe(SECRET_SIG.value);
  return (input as { value: Values }).value;
}
const at = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o as Values | undefined)?.[k], obj);

/** Value paths of each add-on's controller nodeSelector (tolerations are the sibling key). */
const SYSTEM_PLACEMENT_PATHS: Partial<Record<AddonName, string[]>> = {
  keda: [''],
  vpa: ['recommender', 'updater', 'admissionController', 'admissionController.certGen'],
  metricsServer: [''],
  prometheusAdapter: [''],
  kubePrometheusStack: [
    'prometheusOperator',
    'prometheusOperator.admissionWebhooks.deployment',
    'prometheusOperator.admissionWebhooks.patch',
    'prometheus.prometheusSpec',
    'alertmanager.alertmanagerSpec',
    'kube-state-metrics',
  ],
  vault: ['server', 'injector'],
  istiod: ['pilot'],
  istioGateway: [''],
  clusterAutoscaler: [''],
  hcloudCcm: [''],
  hcloudCsi: ['controller'],
  certManager: ['', 'webhook', 'cainjector', 'startupapicheck'],
  externalDns: [''],
  falcosidekick: [''],
  velero: [''],
  awsLoadBalancerController: [''],
};

/** Where a chart takes extra tolerations when it is not `tolerations` (the CCM chart appends `additionalTolerations`). */
const TOLERATIONS_KEY: Partial<Record<AddonName, string>> = { hcloudCcm: 'additionalTolerations' };

/** Value paths of each add-on's resource blocks (requests and limits). */
const RESOURCE_PATHS: Record<AddonName, string[]> = {
  keda: ['resources.operator', 'resources.metricServer', 'resources.webhooks'],
  vpa: ['recommender.resources', 'updater.resources', 'admissionController.resources'],
  metricsServer: ['resources'],
  prometheusAdapter: ['resources'],
  kubePrometheusStack: [
    'prometheusOperator.resources',
    'prometheus.prometheusSpec.resources',
    'alertmanager.alertmanagerSpec.resources',
    'kube-state-metrics.resources',
    'prometheus-node-exporter.resources',
  ],
  falco: ['resources'],
  falcoGvisor: ['resources'],
  vault: ['server.resources', 'injector.resources'],
  istioBase: [],
  istioCni: ['cni.resources'],
  istiod: ['pilot.resources', 'global.proxy.resources'],
  istioGateway: ['resources'],
  clusterAutoscaler: ['resources'],
  hcloudCcm: ['resources'],
  hcloudCsi: ['controller.resources.hcloudCSIDriver', 'node.resources.hcloudCSIDriver'],
  snapshotController: ['controller.resources'],
  certManager: ['resources', 'webhook.resources', 'cainjector.resources', 'startupapicheck.resources'],
  externalDns: ['resources'],
  fluentBit: ['resources'],
  falcosidekick: ['resources'],
  velero: ['resources', 'nodeAgent.resources'],
  awsLoadBalancerController: ['resources'],
  nvidiaDevicePlugin: ['resources'],
};

/** Every nodeSelector in a values tree, with its path. */
function nodeSelectors(values: unknown, path = ''): [string, Values][] {
  if (!values || typeof values !== 'object') return [];
  const out: [string, Values][] = [];
  for (const [k, v] of Object.entries(values as Values)) {
    const p = path ? `${path}.${k}` : k;
    if (k === 'nodeSelector') out.push([p, v as Values]);
    else out.push(...nodeSelectors(v, p));
  }
  return out;
}

describe.each(['staging', 'prod'] as const)('definePlatform(%s)', (stack) => {
  const spec = stackSpec(stack);
  const system = spec.placement.system;
  let r: Run;
  beforeAll(async () => {
    r = await run(spec);
  });

  test('one Helm release per enabled add-on: pinned chart, repository, version, namespace, explicit provider', () => {
    const enabled = addonCatalogue(spec).filter((e) => e.enabled);
    expect(releasesOf(r)).toHaveLength(enabled.length);
    for (const entry of enabled) {
      const release = releasesOf(r).find((x) => x.inputs.name === entry.release)!;
      expect(release.inputs).toMatchObject({
        chart: ADDON_CHARTS[entry.name].chart,
        version: ADDON_CHARTS[entry.name].version,
        repositoryOpts: { repo: ADDON_CHARTS[entry.name].repository },
        namespace: entry.namespace,
        createNamespace: false,
        skipCrds: false,
        atomic: true,
      });
      expect(release.provider).toBe(r.providerRef);
    }
  });

  test(`Vault: HA on integrated Raft storage with ${stack === 'prod' ? 5 : 3} replicas and the injector`, () => {
    const values = releaseInputs(r, 'vault').values;
    const replicas = stack === 'prod' ? 5 : 3;
    expect(at(values, 'server.ha')).toMatchObject({
      enabled: true,
      replicas,
      raft: { enabled: true, setNodeId: true },
    });
    expect(at(values, 'server.standalone.enabled')).toBe(false);
    expect(at(values, 'injector.enabled')).toBe(true);
    const config = at(values, 'server.ha.raft.config') as string;
    expect(config).toContain('storage "raft" {');
    expect(config.match(/retry_join \{/g)).toHaveLength(replicas);
    const ns = namespaceOf(spec, 'vault').name;
    expect(config).toContain(`leader_api_addr = "https://vault-${replicas - 1}.vault-internal.${ns}.svc:8200"`);
    // The chart appends disable_mlock itself (test/infra/addons/chart-templates.test.ts).
    expect(config).not.toContain('disable_mlock');
    expect(at(values, 'server.dataStorage')).toMatchObject({ enabled: true, size: spec.addons.vault.storage });
    expect(at(values, 'server.statefulSet.securityContext.container')).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(at(values, 'server.statefulSet.securityContext.pod')).toMatchObject({ runAsNonRoot: true });
    // Read-only root: the chart's entrypoint writes its rendered config to an emptyDir at /tmp.
    expect(at(values, 'server.statefulSet.securityContext.container.readOnlyRootFilesystem')).toBe(true);
    expect(at(values, 'server.volumeMounts')).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    // Preferred anti-affinity: prod's 5 replicas share a 3-node system pool.
    expect(
      at(values, 'server.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution'),
    ).toBeUndefined();
  });

  test('Istio: CNI mode so meshed namespaces stay restricted (no istio-init with NET_ADMIN)', () => {
    expect(at(releaseInputs(r, 'istiod').values, 'pilot.cni.enabled')).toBe(true);
    const cni = releaseInputs(r, 'istio-cni');
    expect(cni.namespace).toBe('kube-system');
    // k3s keeps CNI files under /var/lib/rancher.
    expect(at(cni.values, 'cni')).toMatchObject({
      cniBinDir: '/var/lib/rancher/k3s/data/cni',
      cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d',
    });
  });

  test('Istio ingress gateway: in the ingress namespace, contract labels, HPA from gatewayReplicas', () => {
    const gateway = releaseInputs(r, 'istio-ingressgateway');
    expect(gateway.namespace).toBe(namespaceOf(spec, 'ingress').name);
    expect(at(gateway.values, 'labels')).toEqual(INGRESS_GATEWAY_LABELS);
    expect(at(gateway.values, 'autoscaling')).toMatchObject({
      enabled: true,
      minReplicas: spec.addons.istio.gatewayReplicas.min,
      maxReplicas: spec.addons.istio.gatewayReplicas.max,
    });
    expect(at(gateway.values, 'service.annotations')).toMatchObject({
      'load-balancer.hetzner.cloud/location': 'fsn1',
      'load-balancer.hetzner.cloud/use-private-ip': 'true',
    });
  });

  test('prometheus-adapter: the pods metric http_requests_per_second from http_requests_total', () => {
    const values = releaseInputs(r, 'prometheus-adapter').values;
    expect(at(values, 'rules.default')).toBe(false);
    expect(at(values, 'rules.custom')).toEqual([
      {
        seriesQuery: 'http_requests_total{namespace!="",pod!=""}',
        resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
        name: { matches: '^http_requests_total$', as: 'http_requests_per_second' },
        metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)',
      },
    ]);
    expect(at(values, 'prometheus')).toEqual({
      url: `http://kube-prometheus-stack-prometheus.${namespaceOf(spec, 'monitoring').name}.svc`,
      port: 9090,
    });
  });

  test('kube-prometheus-stack: retention, storage, Alertmanager replicas, node exporter in node-monitoring', () => {
    const values = releaseInputs(r, 'kube-prometheus-stack').values;
    const settings = spec.addons.kubePrometheusStack;
    expect(at(values, 'prometheus.prometheusSpec.retention')).toBe(stack === 'prod' ? '30d' : '15d');
    expect(
      at(values, 'prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage'),
    ).toBe(stack === 'prod' ? '100Gi' : '50Gi');
    expect(at(values, 'alertmanager.alertmanagerSpec.replicas')).toBe(settings.alertmanagerReplicas);
    expect(at(values, 'prometheus-node-exporter.namespaceOverride')).toBe(namespaceOf(spec, 'node-monitoring').name);
    expect(at(values, 'prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues')).toBe(false);
    expect(at(values, 'prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues')).toBe(false);
  });

  test('cluster-autoscaler: the autoscaled pools, the tuning, the image of the Kubernetes minor', () => {
    const values = releaseInputs(r, 'cluster-autoscaler').values;
    expect(values.cloudProvider).toBe('hetzner');
    // One group per autoscaled pool and location, the elastic part (max - min) split over
    // the locations; the chart renders name, instanceType and region into --nodes.
    const group = (pool: string, type: string, region: string, maxSize: number) => ({
      name: `lobstack-${stack}-${pool}-${region}`,
      minSize: 0,
      maxSize,
      instanceType: type,
      region,
    });
    expect(values.autoscalingGroups).toEqual(
      stack === 'staging'
        ? [
            group('api', 'cpx22', 'fsn1', 2),
            group('api', 'cpx22', 'nbg1', 2),
            group('api', 'cpx22', 'hel1', 1),
            group('agents', 'cpx42', 'fsn1', 3),
            group('agents', 'cpx42', 'nbg1', 2),
            group('agents', 'cpx42', 'hel1', 2),
          ]
        : expect.arrayContaining([expect.objectContaining({ minSize: 0, region: 'fsn1' })]),
    );
    expect(values.extraArgs).toEqual({
      'scale-down-unneeded-time': '5m',
      'scale-down-utilization-threshold': '0.5',
      'max-node-provision-time': '10m',
      'balance-similar-node-groups': 'true',
      expander: 'least-waste',
      'skip-nodes-with-local-storage': 'false',
    });
    expect(at(values, 'image.tag')).toBe(CLUSTER_AUTOSCALER_TAGS[spec.kubernetes.version]);
    expect(values.envFromSecret).toBe('cluster-autoscaler-env');
    const secret = r.resources.find(
      (x) => x.type === 'kubernetes:core/v1:Secret' && x.name.endsWith('autoscaler-env'),
    )!;
    expect(secret.inputs.metadata).toMatchObject({ name: 'cluster-autoscaler-env', namespace: 'kube-system' });
    expect(Object.keys(secretValue(secret.inputs.stringData)).sort()).toEqual([
      'HCLOUD_CLUSTER_CONFIG',
      'HCLOUD_NETWORK',
      'HCLOUD_TOKEN',
    ]);
  });

  test('Hetzner CCM (networking on the private network) and CSI read a Pulumi-created Secret', () => {
    const ccm = releaseInputs(r, 'hcloud-ccm').values;
    expect(at(ccm, 'networking')).toEqual({
      enabled: true,
      clusterCIDR: '10.42.0.0/16',
      network: { valueFrom: { secretKeyRef: { name: 'hcloud', key: 'network' } } },
    });
    expect(at(ccm, 'env.HCLOUD_TOKEN')).toEqual({ valueFrom: { secretKeyRef: { name: 'hcloud', key: 'token' } } });
    expect(at(releaseInputs(r, 'hcloud-csi').values, 'controller.hcloudToken.existingSecret')).toEqual({
      name: 'hcloud',
      key: 'token',
    });
    const secret = r.resources.find((x) => x.type === 'kubernetes:core/v1:Secret' && x.name.endsWith('ccm-secret'))!;
    expect(secret.inputs.metadata).toMatchObject({ name: 'hcloud', namespace: 'kube-system' });
    expect(secretValue(secret.inputs.stringData)).toEqual({ token: FAKE_TOKEN, network: FAKE_NETWORK });
    expect(secret.provider).toBe(r.providerRef);
  });

  test('the Hetzner token never appears in Helm values or in the applied manifests', () => {
    const notSecrets = r.resources.filter((x) => x.type !== 'kubernetes:core/v1:Secret');
    expect(JSON.stringify(notSecrets.map((x) => x.inputs))).not.toContain(FAKE_TOKEN);
  });

  test('every add-on controller lands on the system pool with its tolerations', () => {
    const expected = schedulingFor(system);
    for (const [addon, paths] of Object.entries(SYSTEM_PLACEMENT_PATHS)) {
      const entry = addonCatalogue(spec).find((e) => e.name === addon)!;
      if (!entry.enabled) continue;
      const values = releaseInputs(r, entry.release).values;
      for (const path of paths) {
        const block = path ? at(values, path) : values;
        expect({ addon, path, nodeSelector: at(block, 'nodeSelector') }).toEqual({
          addon,
          path,
          nodeSelector: { [POOL_LABEL]: system.name },
        });
        expect(at(block, TOLERATIONS_KEY[addon as AddonName] ?? 'tolerations')).toEqual(
          expect.arrayContaining(expected.tolerations),
        );
      }
    }
  });

  test('no add-on selects the agent pool', () => {
    const agents = spec.placement.agents!.name;
    for (const release of releasesOf(r)) {
      for (const [path, selector] of nodeSelectors(release.inputs.values)) {
        expect({ release: release.inputs.name, path, pool: selector[POOL_LABEL] }).not.toMatchObject({ pool: agents });
      }
    }
  });

  test('every add-on pod has requests and limits', () => {
    for (const entry of addonCatalogue(spec).filter((e) => e.enabled)) {
      const values = releaseInputs(r, entry.release).values;
      for (const path of RESOURCE_PATHS[entry.name]) {
        const block = at(values, path) as { requests?: Values; limits?: Values } | undefined;
        expect({ addon: entry.name, path, requests: Object.keys(block?.requests ?? {}) }).toEqual({
          addon: entry.name,
          path,
          requests: ['cpu', 'memory'],
        });
        expect(Object.keys(block?.limits ?? {})).toEqual(['cpu', 'memory']);
      }
    }
  });

  test('node agents: observers everywhere, CNI and CSI node plugins everywhere but the agent pool', () => {
    expect(at(releaseInputs(r, 'falco').values, 'tolerations')).toEqual([{ operator: 'Exists' }]);
    // Falco twice on gVisor nodes: the kernel driver on every node (no selector), the gVisor
    // driver on the gVisor pools only, with the paths the nodes provide (infra/gvisor-node.ts).
    expect(at(releaseInputs(r, 'falco').values, 'nodeSelector')).toBeUndefined();
    expect(at(releaseInputs(r, 'falco').values, 'affinity')).toBeUndefined();
    expect(at(releaseInputs(r, 'falco').values, 'driver')).toEqual({ kind: 'modern_ebpf' });
    expect(releaseInputs(r, 'falco-gvisor').values).toMatchObject({
      driver: {
        kind: 'gvisor',
        gvisor: {
          runsc: { path: '/usr/local/bin', root: '/run/containerd/runsc', config: '/etc/containerd/runsc.toml' },
        },
      },
      nodeSelector: { 'agent-platform.io/gvisor': 'true' },
      tolerations: [{ operator: 'Exists' }],
    });
    expect(at(releaseInputs(r, 'kube-prometheus-stack').values, 'prometheus-node-exporter.tolerations')).toEqual([
      { operator: 'Exists' },
    ]);
    const notAgents = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: 'NotIn', values: ['agents'] }] }],
        },
      },
    };
    expect(at(releaseInputs(r, 'istio-cni').values, 'cni.affinity')).toEqual(notAgents);
    expect(at(releaseInputs(r, 'hcloud-csi').values, 'node.affinity')).toEqual(notAgents);
    // They tolerate the control-plane taint, not the agent pool's.
    expect(at(releaseInputs(r, 'istio-cni').values, 'cni.tolerations')).toEqual(schedulingFor(system).tolerations);
  });

  test('VPA: recommender only (updater and admission controller off in the stack files)', () => {
    const values = releaseInputs(r, 'vpa').values;
    expect(at(values, 'recommender.enabled')).toBe(true);
    expect(at(values, 'updater.enabled')).toBe(false);
    expect(at(values, 'admissionController.enabled')).toBe(false);
  });

  test('applies exactly the files of dist/<stack>/, byte for byte, namespaces.yaml first', () => {
    const groups = r.resources.filter((x) => x.type === 'kubernetes:yaml/v2:ConfigGroup');
    const files = committedFiles(stack);
    expect(files[0]).toBe('namespaces.yaml');
    expect(groups.map((g) => g.name)).toEqual(
      files.map((f, i) =>
        i === 0 ? 'lobstack-namespaces-namespaces' : `lobstack-manifests-${f.replace(/\.yaml$/, '')}`,
      ),
    );
    groups.forEach((group, i) => {
      expect(group.inputs.yaml).toBe(committedFile(stack, files[i]!));
      expect(group.provider).toBe(r.providerRef);
    });
    expect(r.out.appliedFiles).toEqual(files);
  });

  test('order: the namespaces group before every release; releases after their dependencies', () => {
    const { addons, namespaces } = r.out;
    for (const addon of addons.order) expect(addons.waitsFor[addon]).toContain(namespaces);
    const release = (a: AddonName) => addons.releases[a]!;
    expect(addons.waitsFor.istioCni).toContain(release('istioBase'));
    expect(addons.waitsFor.istiod).toEqual(expect.arrayContaining([release('istioBase'), release('istioCni')]));
    expect(addons.waitsFor.istioGateway).toContain(release('istiod'));
    expect(addons.waitsFor.prometheusAdapter).toContain(release('kubePrometheusStack'));
    expect(addons.waitsFor.vault).toContain(release('hcloudCsi'));
    expect(addons.waitsFor.hcloudCsi).toContain(release('hcloudCcm'));
  });

  test('outputs: the kubeconfig is a secret', async () => {
    expect(await isSecret(r.out.kubeconfig)).toBe(true);
  });
});

const AUTOSCALING = `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: agent-warm-pool
  namespace: lobstack-agents
spec:
  scaleTargetRef: { name: agent-warm-pool }
  triggers: [{ type: cpu, metricType: Utilization, metadata: { value: '75' } }]
`;
const MONITORING = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: api
  namespace: lobstack-control-plane
spec:
  selector: { matchLabels: { app: api } }
  endpoints: [{ port: metrics }]
`;
const PLAIN = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: lobstack-control-plane
data: { a: b }
`;

describe('manifests after the add-ons that provide their CRDs and webhooks', () => {
  const spec = stackSpec('staging');
  const files = [
    { name: 'namespaces.yaml', content: committedFile('staging', 'namespaces.yaml') },
    { name: 'config.yaml', content: PLAIN },
    { name: 'autoscaling.yaml', content: AUTOSCALING },
    { name: 'monitoring.yaml', content: MONITORING },
  ];
  let r: Run;
  beforeAll(async () => {
    r = await run(spec, { distDir: writeDist(spec, files) });
  });

  test('one ConfigGroup per file, in index order, with the exact content', () => {
    const groups = r.resources.filter((x) => x.type === 'kubernetes:yaml/v2:ConfigGroup');
    expect(groups.map((g) => g.name).sort()).toEqual(
      [
        'lobstack-namespaces-namespaces',
        'lobstack-manifests-config',
        'lobstack-manifests-autoscaling',
        'lobstack-manifests-monitoring',
      ].sort(),
    );
    for (const f of files) {
      const group = groups.find((g) => g.name.endsWith(`-${f.name.replace('.yaml', '')}`))!;
      expect(group.inputs.yaml).toBe(f.content);
    }
    expect(r.out.appliedFiles).toEqual(['namespaces.yaml', 'config.yaml', 'autoscaling.yaml', 'monitoring.yaml']);
  });

  test('a file using a CRD waits for the release that installs it; every file waits for the webhooks', () => {
    const { addons, manifests, namespaces } = r.out;
    const release = (a: AddonName) => addons.releases[a]!;
    const webhooks = [release('istiod'), release('kubePrometheusStack'), release('keda'), release('vault')];
    expect(manifests.waitsFor['autoscaling.yaml']).toEqual(expect.arrayContaining([release('keda'), ...webhooks]));
    expect(manifests.waitsFor['monitoring.yaml']).toContain(release('kubePrometheusStack'));
    expect(manifests.waitsFor['config.yaml']).toEqual(expect.arrayContaining([namespaces, ...webhooks]));
    expect(manifests.waitsFor['config.yaml']).not.toContain(release('falco'));
  });

  test('files are chained in index order', () => {
    const { manifests } = r.out;
    expect(manifests.waitsFor['autoscaling.yaml']).toContain(manifests.groups['config.yaml']);
    expect(manifests.waitsFor['monitoring.yaml']).toContain(manifests.groups['autoscaling.yaml']);
  });
});

describe('refusals happen before any resource is registered', () => {
  const spec = stackSpec('staging');
  const namespaces = { name: 'namespaces.yaml', content: committedFile('staging', 'namespaces.yaml') };

  async function refusal(args: PlatformArgs): Promise<{ error: Error; factory: jest.Mock }> {
    mocks.reset();
    const { definePlatform } = await import('../../infra/program');
    const factory = jest.fn();
    let error: Error | undefined;
    try {
      definePlatform(spec, { ...args, clusterFactories: { hcloud: factory }, hcloudToken: pulumi.secret('t') });
    } catch (e) {
      error = e as Error;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(mocks.resources).toEqual([]);
    expect(factory).not.toHaveBeenCalled();
    if (!error) throw new Error('expected definePlatform to refuse');
    return { error, factory };
  }

  test('a stale dist/', async () => {
    const { error } = await refusal({
      distDir: writeDist(spec, [namespaces], (index) => {
        index.environmentDigest = '0'.repeat(64);
      }),
    });
    expect(error).toBeInstanceOf(DistError);
    expect(error.message).toContain('dist/staging/ is stale');
    expect(error.message).toContain('npm run synth');
  });

  test('a dist/ rendered for another stack', async () => {
    const { error } = await refusal({
      distDir: writeDist(spec, [namespaces], (index) => {
        index.stack = 'prod';
      }),
    });
    expect(error.message).toContain('dist/staging/index.json was rendered for stack "prod", not "staging"');
  });

  test('a tampered file', async () => {
    const root = writeDist(spec, [namespaces, { name: 'config.yaml', content: PLAIN }]);
    appendFileSync(join(root, 'staging', 'config.yaml'), 'extra: true\n');
    const { error } = await refusal({ distDir: root });
    expect(error.message).toMatch(/dist\/staging\/config\.yaml was changed after synth/);
  });

  test('an autoscaled Deployment that carries spec.replicas', async () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: agent-warm-pool, namespace: lobstack-agents }
spec:
  replicas: 2
  selector: { matchLabels: { a: b } }
  template: { metadata: { labels: { a: b } }, spec: { containers: [{ name: c, image: 'x/y:1' }] } }
---
`;
    const { error } = await refusal({
      distDir: writeDist(spec, [namespaces, { name: 'agents.yaml', content: deployment + AUTOSCALING }]),
    });
    expect(error.message).toContain(
      'Deployment lobstack-agents/agent-warm-pool is scaled by ScaledObject lobstack-agents/agent-warm-pool but sets spec.replicas (2)',
    );
  });

  test('a custom resource no enabled add-on provides', async () => {
    const { error } = await refusal({
      distDir: writeDist(spec, [
        namespaces,
        {
          name: 'routes.yaml',
          content: 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: api\n',
        },
      ]),
    });
    expect((error as DistError).problems).toEqual([
      'dist/staging/routes.yaml uses API group "gateway.networking.k8s.io" (HTTPRoute api) but no enabled add-on installs ' +
        'its CRDs; enable the add-on in Pulumi.staging.yaml (addons) or remove the object from charts-src',
    ]);
  });

  test('a custom resource in namespaces.yaml, which is applied before the add-ons', async () => {
    const peer = '---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n';
    const { error } = await refusal({
      distDir: writeDist(spec, [{ name: 'namespaces.yaml', content: namespaces.content + peer }]),
    });
    expect((error as DistError).problems).toEqual([
      'dist/staging/namespaces.yaml uses API group "security.istio.io" (PeerAuthentication default), but ' +
        'namespaces.yaml is applied before the add-ons that install its CRDs; move the object to another chart',
    ]);
  });

  test('a CRD shipped in dist/ provides its group to its own file and later ones', async () => {
    mocks.reset();
    const crd =
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n' +
      'spec:\n  group: example.com\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n';
    const { definePlatform } = await import('../../infra/program');
    const later = { name: 'later.yaml', content: 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: x\n' };
    const distDir = writeDist(spec, [namespaces, { name: 'crds.yaml', content: crd }, later]);
    const out = definePlatform(spec, { distDir, cluster: fakeCluster(spec) });
    await settle(out);
    expect(out.appliedFiles).toEqual(['namespaces.yaml', 'crds.yaml', 'later.yaml']);
    mocks.reset();
  });

  test('an add-on namespace that namespaces.yaml does not create', async () => {
    const without = namespaces.content
      .split('---\n')
      .filter((doc) => !doc.includes('name: keda\n'))
      .join('---\n');
    const { error } = await refusal({ distDir: writeDist(spec, [{ name: 'namespaces.yaml', content: without }]) });
    expect((error as DistError).problems).toEqual([
      'add-on keda installs into namespace "keda", which dist/staging/namespaces.yaml does not create',
    ]);
  });

  test("a sub-chart's namespace (node exporter) that namespaces.yaml does not create", async () => {
    const without = namespaces.content
      .split('---\n')
      .filter((doc) => !doc.includes('name: lobstack-node-monitoring\n'))
      .join('---\n');
    const { error } = await refusal({ distDir: writeDist(spec, [{ name: 'namespaces.yaml', content: without }]) });
    expect((error as DistError).problems).toEqual([
      'add-on kubePrometheusStack installs into namespace "lobstack-node-monitoring", which dist/staging/namespaces.yaml does not create',
    ]);
  });
});

describe('cluster selection', () => {
  test('picks the factory of cloud.provider and passes the token', async () => {
    mocks.reset();
    const spec = stackSpec('staging');
    const { definePlatform } = await import('../../infra/program');
    const cluster = fakeCluster(spec);
    const hcloud = jest.fn(() => cluster);
    const aws = jest.fn();
    const token = pulumi.secret('t');
    const out = definePlatform(spec, { clusterFactories: { hcloud, aws }, hcloudToken: token });
    await settle(out);
    expect(hcloud).toHaveBeenCalledWith('lobstack', spec, expect.objectContaining({ hcloudToken: token }), {});
    expect(aws).not.toHaveBeenCalled();
    expect(out.cluster).toBe(cluster);
  });

  test('hcloud without a token (and no injected cluster) fails naming the config key', async () => {
    const spec = stackSpec('staging');
    const { definePlatform } = await import('../../infra/program');
    expect(() => definePlatform(spec)).toThrow(
      'is required on cloud.provider hcloud: set it with `pulumi config set --secret agent-platform:hcloudToken <token>`',
    );
  });
});

describe('definePlatform on aws', () => {
  const spec = parseRaw(awsRaw(), 'aws-test');
  let r: Run;
  beforeAll(async () => {
    r = await run(spec, { distDir: writeDist(spec, [{ name: 'namespaces.yaml', content: namespacesYaml(spec) }]) });
  });

  test('metrics-server from the chart, no Hetzner add-ons', () => {
    const names = releasesOf(r).map((x) => x.inputs.name);
    expect(names).toContain('metrics-server');
    expect(names).not.toContain('hcloud-ccm');
    expect(names).not.toContain('hcloud-csi');
    expect(r.resources.filter((x) => x.type === 'kubernetes:core/v1:Secret')).toEqual([]);
  });

  test('cluster-autoscaler discovers the EKS node groups, with the IRSA role on its ServiceAccount', () => {
    const values = releaseInputs(r, 'cluster-autoscaler').values;
    expect(values).toMatchObject({
      cloudProvider: 'aws',
      autoDiscovery: { clusterName: r.cluster.name },
      awsRegion: 'us-east-1',
      rbac: { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': expect.any(String) } } },
    });
    expect(values.autoscalingGroups).toBeUndefined();
    expect(values.envFromSecret).toBeUndefined();
  });

  test('Istio CNI with the chart default directories; the gateway behind an NLB', () => {
    expect(at(releaseInputs(r, 'istio-cni').values, 'cni.cniBinDir')).toBeUndefined();
    expect(at(releaseInputs(r, 'istio-ingressgateway').values, 'service.annotations')).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    });
  });

  test('add-ons land on the system pool', () => {
    expect(at(releaseInputs(r, 'metrics-server').values, 'nodeSelector')).toEqual({ [POOL_LABEL]: 'system' });
  });
});
