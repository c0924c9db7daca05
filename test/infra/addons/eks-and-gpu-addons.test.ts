/**
 * The AWS Load Balancer Controller and the NVIDIA device plugin: when they are installed
 * (config/cluster-needs.ts), and that their values exist in the pinned upstream charts
 * (../shared/charts) and land where the charts' templates read them.
 */
import { installMocks, valueOf } from '../../support/pulumi-mocks';

installMocks();

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  ADDON_CHARTS,
  devicePluginPools,
  POOL_LABEL,
  tolerationsFor,
  type AddonName,
  type EnvironmentSpec,
} from '../../../config';
import { addonCatalogue, addonGraph, definitionOf } from '../../../infra/addons/catalogue';
import {
  LOAD_BALANCER_CONTROLLER_POLICY_VERSION,
  LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
} from '../../../infra/aws/load-balancer-controller-role';
import type { ClusterResult } from '../../../infra/cluster';
import { parseRaw, REPO_ROOT, stackSpec } from '../../support/environments';
import { exampleSpec } from '../../support/examples';
import { awsRaw, fakeCluster } from '../support';

type Values = Record<string, unknown>;
const chartDir = (name: AddonName) =>
  join(REPO_ROOT, '..', 'shared', 'charts', ADDON_CHARTS[name].chart, ADDON_CHARTS[name].version);
const chartValues = (name: AddonName) => parse(readFileSync(join(chartDir(name), 'values.yaml'), 'utf8')) as Values;
const template = (name: AddonName, file: string) => readFileSync(join(chartDir(name), 'templates', file), 'utf8');

function valuesOf(name: AddonName, spec: EnvironmentSpec, cluster: ClusterResult = fakeCluster(spec)): Values {
  const def = definitionOf(name);
  return def.values({
    spec,
    cluster,
    namespace: def.namespace(spec),
    namespaces: {},
    checksum: () => 'checksum',
  }) as Values;
}

/** Every template of a chart, concatenated (to see which values it passes through whole). */
const templates = (name: AddonName) =>
  readdirSync(join(chartDir(name), 'templates'))
    .map((f) => readFileSync(join(chartDir(name), 'templates', f), 'utf8'))
    .join('\n');

/**
 * Value paths we set that the chart's values.yaml does not have (Helm would ignore them
 * silently). Below a chart key holding an empty map or null, or one a template renders
 * whole (`toYaml .Values.<path>`), anything goes.
 */
function unknownPaths(name: AddonName, ours: Values, chart: Values = chartValues(name), prefix = ''): string[] {
  const text = templates(name);
  const out: string[] = [];
  for (const [key, value] of Object.entries(ours)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!(key in chart)) {
      out.push(path);
      continue;
    }
    const theirs = chart[key];
    const isMap = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    const wholeInTemplate = new RegExp(`toYaml \\.Values\\.${path.replace(/\./g, '\\.')}\\b`).test(text);
    if (isMap(value) && isMap(theirs) && Object.keys(theirs as Values).length > 0 && !wholeInTemplate) {
      out.push(...unknownPaths(name, value as Values, theirs as Values, path));
    }
  }
  return out;
}

const awsSpec = parseRaw(awsRaw());
const gpuSpec = exampleSpec('support-copilot');

describe('AWS Load Balancer Controller', () => {
  it('is installed exactly where the gateway asks for an NLB: aws with Istio', () => {
    const enabled = (spec: EnvironmentSpec) =>
      addonCatalogue(spec).find((e) => e.name === 'awsLoadBalancerController')!.enabled;
    expect(enabled(awsSpec)).toBe(true);
    expect(enabled(stackSpec('staging'))).toBe(false);
    const raw = awsRaw();
    raw.addons.istio = { enabled: false };
    for (const tenant of raw.tenants ?? []) tenant.mesh = false;
    expect(enabled(parseRaw(raw))).toBe(false);
  });

  it('is installed before the gateway, whose Service it turns into an NLB', () => {
    expect(addonGraph(awsSpec).get('istioGateway')).toContain('awsLoadBalancerController');
    const gateway = valuesOf('istioGateway', awsSpec) as { service: { annotations: Record<string, string> } };
    expect(gateway.service.annotations['service.beta.kubernetes.io/aws-load-balancer-type']).toBe('external');
  });

  it('sets only keys the pinned chart has', () => {
    expect(unknownPaths('awsLoadBalancerController', valuesOf('awsLoadBalancerController', awsSpec))).toEqual([]);
  });

  it('gets the cluster, region and VPC explicitly (pods cannot reach IMDS), and the IRSA role on the trusted service account', async () => {
    const values = valuesOf('awsLoadBalancerController', awsSpec);
    expect(values).toMatchObject({
      clusterName: 'lobstack-test',
      region: 'us-east-1',
      vpcId: 'vpc-0fake',
      createIngressClassResource: false,
      ingressClassParams: { create: false },
    });
    const sa = values.serviceAccount as { name: string; annotations: Record<string, unknown> };
    expect(sa.name).toBe(LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name);
    expect(definitionOf('awsLoadBalancerController').namespace(awsSpec)).toBe(
      LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
    );
    expect(await valueOf(sa.annotations['eks.amazonaws.com/role-arn'] as string)).toBe(
      'arn:aws:iam::123456789012:role/lb-controller',
    );
    const deployment = template('awsLoadBalancerController', 'deployment.yaml');
    // The chart turns them into the controller's flags (templates/deployment.yaml).
    expect(deployment).toContain(
      '- --cluster-name={{ required "Chart cannot be installed without a valid clusterName!" (tpl (default "" .Values.clusterName) .) }}',
    );
    expect(deployment).toContain('{{- $region := tpl (default "" .Values.region) . }}');
    expect(deployment).toContain('- --aws-region={{ $region }}');
    expect(deployment).toContain('{{- $vpcID := tpl (default "" .Values.vpcId) . }}');
    expect(deployment).toContain('- --aws-vpc-id={{ $vpcID }}');
  });

  it('uses the IAM policy of the controller version the pinned chart installs', () => {
    const chart = parse(readFileSync(join(chartDir('awsLoadBalancerController'), 'Chart.yaml'), 'utf8')) as Values;
    expect(chart.appVersion).toBe(LOAD_BALANCER_CONTROLLER_POLICY_VERSION);
  });

  it('refuses to install without the IRSA role the cloud module must create', () => {
    const cluster = fakeCluster(awsSpec);
    expect(() =>
      valuesOf('awsLoadBalancerController', awsSpec, { ...cluster, aws: { region: 'us-east-1', vpcId: 'vpc-1' } }),
    ).toThrow(
      'the AWS Load Balancer Controller is enabled but the cluster gave no IRSA role for it (ClusterResult.aws.loadBalancerControllerRoleArn)',
    );
  });
});

describe('NVIDIA device plugin', () => {
  it('is installed exactly when a pool has gpu: true', () => {
    const enabled = (spec: EnvironmentSpec) =>
      addonCatalogue(spec).find((e) => e.name === 'nvidiaDevicePlugin')!.enabled;
    expect(devicePluginPools(gpuSpec).map((p) => p.name)).toEqual(['gpu']);
    expect(enabled(gpuSpec)).toBe(true);
    expect(enabled(awsSpec)).toBe(false);
    expect(enabled(stackSpec('prod'))).toBe(false);
  });

  it('sets only keys the pinned chart has', () => {
    expect(unknownPaths('nvidiaDevicePlugin', valuesOf('nvidiaDevicePlugin', gpuSpec))).toEqual([]);
  });

  it('runs on the GPU pools only, tolerating their taints, instead of the chart default NFD affinity', () => {
    const values = valuesOf('nvidiaDevicePlugin', gpuSpec);
    expect(values.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['gpu'] }] }],
        },
      },
    });
    const gpuPool = gpuSpec.nodePools.find((p) => p.name === 'gpu')!;
    expect(values.tolerations).toEqual(tolerationsFor(gpuPool));
    expect(values.tolerations).toEqual([{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    expect(values).not.toHaveProperty('runtimeClassName');
    // The chart's DaemonSet reads exactly these values.
    const daemonSet = template('nvidiaDevicePlugin', 'daemonset-device-plugin.yml');
    expect(daemonSet).toContain('{{- with .Values.affinity }}');
    expect(daemonSet).toContain('{{- with .Values.tolerations }}');
  });

  it('on k3s (Hetzner) runs in the nvidia RuntimeClass k3s ships (no Hetzner cloud type has GPUs yet: the pool is forced here)', () => {
    const hcloud = stackSpec('staging');
    const withGpu = {
      ...hcloud,
      nodePools: hcloud.nodePools.map((p) => (p.name === 'api' ? { ...p, gpu: true } : p)),
      addons: { ...hcloud.addons, nvidiaDevicePlugin: { enabled: true } },
    };
    const values = valuesOf('nvidiaDevicePlugin', withGpu);
    expect(values.runtimeClassName).toBe('nvidia');
    expect(template('nvidiaDevicePlugin', 'daemonset-device-plugin.yml')).toContain(
      'runtimeClassName: {{ .Values.runtimeClassName }}',
    );
    expect(JSON.stringify(values.affinity)).toContain('"values":["api"]');
  });
});
