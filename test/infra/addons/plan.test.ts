/**
 * The add-on plan (infra/addons/plan.ts), resolved once per environment and handed to
 * the preflight, the Helm releases, the applied files and the catalogue output.
 */
import { installMocks } from '../../support/pulumi-mocks';

installMocks();

import type { AddonName } from '../../../config';
import { addonGraph, definitionOf } from '../../../infra/addons/catalogue';
import { resolveAddonPlan } from '../../../infra/addons/plan';
import { readReviewedDist } from '../../../infra/deploy';
import { preflightErrors } from '../../../infra/preflight';
import { definePlatform, DEFAULT_DIST_DIR } from '../../../infra/program';
import { environmentFiles, specOf } from '../../support/all-environments';
import { stackSpec } from '../../support/environments';
import { fakeCluster } from '../support';

const MESH_AND_PLATFORM: AddonName[] = [
  'istioBase',
  'istioCni',
  'istiod',
  'istioGateway',
  'kubePrometheusStack',
  'prometheusAdapter',
  'keda',
  'vpa',
  'certManager',
  'vault',
  'falco',
  'falcosidekick',
  'velero',
];
/** Where the environment names a DNS zone and a log sink: external-dns and Fluent Bit too. */
const WITH_DNS_AND_LOGS: AddonName[] = MESH_AND_PLATFORM.flatMap((a) =>
  a === 'falcosidekick' ? [a, 'externalDns' as const, 'fluentBit' as const] : [a],
);
const HCLOUD_BASE: AddonName[] = ['hcloudCcm', 'hcloudCsi', 'clusterAutoscaler'];
const HCLOUD: AddonName[] = [...HCLOUD_BASE, ...MESH_AND_PLATFORM];
const EKS: AddonName[] = ['awsLoadBalancerController', 'metricsServer', 'clusterAutoscaler'];
const ISTIO_GROUPS = ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'];
const PLATFORM_GROUPS: Record<string, AddonName> = {
  ...Object.fromEntries(ISTIO_GROUPS.map((g) => [g, 'istioBase' as const])),
  'monitoring.coreos.com': 'kubePrometheusStack',
  'keda.sh': 'keda',
  'eventing.keda.sh': 'keda',
  'autoscaling.k8s.io': 'vpa',
  'velero.io': 'velero',
  'cert-manager.io': 'certManager',
  'acme.cert-manager.io': 'certManager',
};
const LB_GROUPS: Record<string, AddonName> = {
  'elbv2.k8s.aws': 'awsLoadBalancerController',
  'aga.k8s.aws': 'awsLoadBalancerController',
  'gateway.k8s.aws': 'awsLoadBalancerController',
};
const SNAPSHOT_GROUPS: Record<string, AddonName> = {
  'snapshot.storage.k8s.io': 'snapshotController',
  'groupsnapshot.storage.k8s.io': 'snapshotController',
};
const { 'keda.sh': _k, 'eventing.keda.sh': _e, ...WITHOUT_KEDA } = PLATFORM_GROUPS;

/** The plan of every committed environment: install order, CRD group → add-on, webhooks. */
const EXPECTED: Record<string, { order: AddonName[]; crdGroups: Record<string, AddonName>; webhooks: AddonName[] }> = {
  'Pulumi.staging.yaml': {
    order: [...HCLOUD_BASE, ...WITH_DNS_AND_LOGS],
    crdGroups: PLATFORM_GROUPS,
    webhooks: ['istiod', 'kubePrometheusStack', 'keda', 'certManager', 'vault'],
  },
  'Pulumi.prod.yaml': {
    order: [...HCLOUD_BASE, ...WITH_DNS_AND_LOGS],
    crdGroups: PLATFORM_GROUPS,
    webhooks: ['istiod', 'kubePrometheusStack', 'keda', 'certManager', 'vault'],
  },
  'examples/stella/Pulumi.stella.yaml': {
    order: HCLOUD,
    crdGroups: PLATFORM_GROUPS,
    webhooks: ['istiod', 'kubePrometheusStack', 'keda', 'certManager', 'vault'],
  },
  'examples/cybersec/Pulumi.cybersec.yaml': {
    order: HCLOUD,
    crdGroups: PLATFORM_GROUPS,
    webhooks: ['istiod', 'kubePrometheusStack', 'keda', 'certManager', 'vault'],
  },
  'examples/lobstack-aws/Pulumi.lobstack-aws.yaml': {
    order: [...EKS, ...WITH_DNS_AND_LOGS],
    crdGroups: { ...LB_GROUPS, ...PLATFORM_GROUPS },
    webhooks: ['awsLoadBalancerController', 'istiod', 'kubePrometheusStack', 'keda', 'certManager', 'vault'],
  },
  // GPU pool: the NVIDIA device plugin; a VolumeSnapshotClass: the snapshot controller first.
  'examples/support-copilot/Pulumi.support-copilot.yaml': {
    order: ['snapshotController', ...EKS, 'nvidiaDevicePlugin', ...MESH_AND_PLATFORM],
    crdGroups: { ...SNAPSHOT_GROUPS, ...LB_GROUPS, ...PLATFORM_GROUPS },
    webhooks: ['awsLoadBalancerController', 'istiod', 'kubePrometheusStack', 'keda', 'certManager', 'vault'],
  },
  // No KEDA: its HPA reads an external metric.
  'examples/ai-workflow/Pulumi.ai-workflow.yaml': {
    order: ['snapshotController', ...EKS, ...MESH_AND_PLATFORM.filter((a) => a !== 'keda')],
    crdGroups: { ...SNAPSHOT_GROUPS, ...LB_GROUPS, ...WITHOUT_KEDA },
    webhooks: ['awsLoadBalancerController', 'istiod', 'kubePrometheusStack', 'certManager', 'vault'],
  },
};

describe('the add-on plan of every committed environment', () => {
  it('has an expectation for every environment file', () => {
    expect(
      environmentFiles()
        .map((e) => e.shown)
        .sort(),
    ).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(environmentFiles().map((e) => [e.shown, e] as const))('%s', (shown, env) => {
    const spec = specOf(env);
    const plan = resolveAddonPlan(spec);
    const expected = EXPECTED[shown]!;

    it('installs its enabled add-ons in the expected order, dependencies first', () => {
      expect(plan.order).toEqual(expected.order);
      expect([...plan.enabled].sort()).toEqual([...expected.order].sort());
      for (const [addon, deps] of plan.graph) {
        for (const dep of deps) expect(plan.order.indexOf(dep)).toBeLessThan(plan.order.indexOf(addon));
      }
    });

    it('knows which enabled add-on installs each CRD group, and which bring webhooks', () => {
      expect(plan.crdGroups).toEqual(expected.crdGroups);
      expect(plan.webhooks).toEqual(expected.webhooks);
    });

    it('holds each enabled add-on namespace and the catalogue of every add-on', () => {
      for (const addon of plan.order) {
        expect(plan.namespaces[addon]).toBe(definitionOf(addon).namespace(spec));
        expect(plan.installNamespaces[addon]![0]).toBe(plan.namespaces[addon]);
      }
      expect(plan.catalogue.filter((e) => e.enabled).map((e) => e.name)).toEqual(plan.enabled);
    });
  });

  it('kube-prometheus-stack also installs into the node-monitoring namespace (its node exporter)', () => {
    expect(resolveAddonPlan(stackSpec('staging')).installNamespaces.kubePrometheusStack).toEqual([
      'lobstack-monitoring',
      'lobstack-node-monitoring',
    ]);
  });
});

describe('a dependency cycle is refused with the message the graph gives', () => {
  const CYCLE =
    'add-on graph has a cycle: kubePrometheusStack → keda → kubePrometheusStack; remove one of these dependencies in infra/addons/';

  it('by resolving the plan', () => {
    const spec = stackSpec('staging');
    const graph = new Map(addonGraph(spec));
    graph.set('kubePrometheusStack', [...graph.get('kubePrometheusStack')!, 'keda']);
    expect(() => resolveAddonPlan(spec, graph)).toThrow(CYCLE);
  });

  it('by the preflight synth runs and by definePlatform, before anything is registered', () => {
    const spec = stackSpec('staging');
    const def = definitionOf('kubePrometheusStack');
    const original = def.dependsOn;
    const spy = jest.spyOn(def, 'dependsOn').mockImplementation((s) => [...original(s), 'keda']);
    try {
      const dist = readReviewedDist(spec, DEFAULT_DIST_DIR);
      expect(preflightErrors(spec, dist).map((e) => e.message)).toEqual([CYCLE]);
      expect(() => definePlatform(spec, { cluster: fakeCluster(spec) })).toThrow(CYCLE);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('definePlatform resolves the plan once and hands it on', () => {
  it('the releases, the catalogue output and the files follow the same plan', () => {
    const spec = stackSpec('staging');
    const out = definePlatform(spec, { cluster: fakeCluster(spec) });
    expect(out.addons.plan).toBe(out.plan);
    expect(out.catalogue).toBe(out.plan.catalogue);
    expect(out.addons.order).toEqual(EXPECTED['Pulumi.staging.yaml']!.order);
    expect(Object.keys(out.addons.releases).sort()).toEqual([...out.plan.order].sort());
    expect(out.addons.providerOf('keda.sh')).toBe('keda');
    expect(out.addons.providerOf('apps')).toBeUndefined();
  });
});
