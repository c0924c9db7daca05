/**
 * Add-on definitions on their own: options from the stack file, and every error a
 * definition can raise, with its message.
 */
import { installMocks } from '../../support/pulumi-mocks';

const mocks = installMocks();

import type { EnvironmentSpec } from '../../../config';
import { definitionOf } from '../../../infra/addons/catalogue';
import { splitAutoscalerArgs, tuningArgs } from '../../../infra/addons/cluster-autoscaler';
import type { AddonContext } from '../../../infra/addons/types';
import { vaultRaftConfig } from '../../../infra/addons/vault';
import type { AddonName } from '../../../config';
import type { ClusterResult } from '../../../infra/cluster';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';
import { awsRaw, fakeCluster } from '../support';

type Values = Record<string, unknown>;

function valuesOf(name: AddonName, spec: EnvironmentSpec, cluster: ClusterResult = fakeCluster(spec)): Values {
  const def = definitionOf(name);
  const ctx: AddonContext = { spec, cluster, namespace: def.namespace(spec), namespaces: {} };
  return def.values(ctx) as Values;
}

describe('cluster-autoscaler arguments', () => {
  test('hetzner: --nodes become autoscalingGroups with name, instanceType and region; other flags extraArgs', () => {
    expect(
      splitAutoscalerArgs(
        ['--nodes=1:5:cpx42:fsn1:lob-prod-agents-fsn1', '--nodes=0:3:cpx22:nbg1:lob-prod-api-nbg1', '--v=2', '--foo'],
        'hetzner',
      ),
    ).toEqual({
      groups: [
        { name: 'lob-prod-agents-fsn1', minSize: 1, maxSize: 5, instanceType: 'cpx42', region: 'fsn1' },
        { name: 'lob-prod-api-nbg1', minSize: 0, maxSize: 3, instanceType: 'cpx22', region: 'nbg1' },
      ],
      extraArgs: { v: '2', foo: 'true' },
    });
  });

  test('aws: --nodes=MIN:MAX:NAME become autoscalingGroups with a name only', () => {
    expect(splitAutoscalerArgs(['--nodes=1:4:eks-agents-asg'], 'aws').groups).toEqual([
      { name: 'eks-agents-asg', minSize: 1, maxSize: 4 },
    ]);
  });

  test('refuses an argument that is not a flag', () => {
    expect(() => splitAutoscalerArgs(['nodes=1:2:x'], 'aws')).toThrow(
      'cluster.autoscaler.args[0] ("nodes=1:2:x") is not a --flag or --flag=value argument; fix the cloud module that built it',
    );
  });

  test('refuses a malformed --nodes', () => {
    expect(() => splitAutoscalerArgs(['--nodes=agents'], 'aws')).toThrow(
      'cluster.autoscaler.args[0] ("--nodes=agents") must be --nodes=MIN:MAX:NAME on aws (got "agents")',
    );
  });

  test('refuses a Hetzner --nodes without type and location (the chart would render empty fields)', () => {
    expect(() => splitAutoscalerArgs(['--nodes=0:3:lob-prod-api-fsn1'], 'hetzner')).toThrow(
      'cluster.autoscaler.args[0] ("--nodes=0:3:lob-prod-api-fsn1") must be --nodes=MIN:MAX:TYPE:LOCATION:NAME on hetzner (got "0:3:lob-prod-api-fsn1")',
    );
  });

  test('refuses a repeated flag other than --nodes', () => {
    expect(() => splitAutoscalerArgs(['--v=2', '--v=4'], 'aws')).toThrow(
      "cluster.autoscaler.args[1] repeats --v; only --nodes may be given more than once (the chart's extraArgs is a map)",
    );
  });

  test('refuses a cloud-module flag that the stack file controls', () => {
    const spec = stackSpec('staging');
    const base = fakeCluster(spec);
    const cluster = {
      ...base,
      autoscaler: { ...base.autoscaler, args: [...base.autoscaler.args, '--expander=random'] },
    };
    expect(() => valuesOf('clusterAutoscaler', spec, cluster)).toThrow(
      'cluster.autoscaler.args sets --expander, which addons.clusterAutoscaler controls; remove it from the cloud module',
    );
  });

  test('on AWS the discovery tags go to the chart once, and the ServiceAccount is the one IRSA trusts', () => {
    const spec = parseRaw(awsRaw(), 'staging');
    const base = fakeCluster(spec);
    const cluster: ClusterResult = {
      ...base,
      autoscaler: {
        cloudProvider: 'aws',
        args: [
          '--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/lobstack-staging',
        ],
        env: { AWS_REGION: 'us-east-1' },
        serviceAccountName: 'cluster-autoscaler',
        serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123:role/autoscaler' },
      },
    };
    const values = valuesOf('clusterAutoscaler', spec, cluster) as Record<string, Record<string, unknown>>;
    expect(values['autoDiscovery']).toMatchObject({
      tags: ['k8s.io/cluster-autoscaler/enabled', 'k8s.io/cluster-autoscaler/lobstack-staging'],
    });
    expect(values['extraArgs']).not.toHaveProperty('node-group-auto-discovery');
    expect(values['rbac']).toEqual({
      serviceAccount: {
        create: true,
        name: 'cluster-autoscaler',
        annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123:role/autoscaler' },
      },
    });
  });

  test('refuses a Hetzner autoscaler with no pool to manage', () => {
    const spec = stackSpec('staging');
    const base = fakeCluster(spec);
    const cluster = { ...base, autoscaler: { ...base.autoscaler, args: [] } };
    expect(() => valuesOf('clusterAutoscaler', spec, cluster)).toThrow(
      'cluster.autoscaler.args has no --nodes=MIN:MAX:TYPE:LOCATION:NAME pool on hetzner',
    );
  });

  test('tuning comes from addons.clusterAutoscaler', () => {
    const raw = rawStack('staging');
    raw.addons.clusterAutoscaler = {
      scaleDownUnneededTime: '15m',
      scaleDownUtilizationThreshold: 0.65,
      maxNodeProvisionTime: '20m',
      balanceSimilarNodeGroups: false,
      expander: 'priority',
    };
    expect(tuningArgs(parseRaw(raw))).toEqual({
      'scale-down-unneeded-time': '15m',
      'scale-down-utilization-threshold': '0.65',
      'max-node-provision-time': '20m',
      'balance-similar-node-groups': 'false',
      expander: 'priority',
      'skip-nodes-with-local-storage': 'false',
    });
  });
});

describe('Hetzner add-ons', () => {
  test('refuse a cluster without Hetzner inputs', () => {
    const spec = stackSpec('staging');
    const { hcloud: _omit, ...cluster } = fakeCluster(spec);
    void _omit;
    const message =
      'addons.hcloudCcm is enabled but the cluster has no Hetzner inputs (ClusterResult.hcloud is unset); it runs only on cloud.provider: hcloud';
    expect(() => valuesOf('hcloudCcm', spec, cluster)).toThrow(message);
    expect(() => valuesOf('hcloudCsi', spec, cluster)).toThrow(message.replace('hcloudCcm', 'hcloudCsi'));
  });

  test('the CCM routes the cluster pod CIDR the cloud module reports', () => {
    const spec = stackSpec('staging');
    const base = fakeCluster(spec);
    const cluster = { ...base, hcloud: { ...base.hcloud!, podCidr: '10.244.0.0/16' } };
    expect((valuesOf('hcloudCcm', spec, cluster).networking as Values).clusterCIDR).toBe('10.244.0.0/16');
  });

  test('without the CCM, the CSI driver creates the hcloud Secret itself', () => {
    mocks.reset();
    const raw = rawStack('staging');
    raw.addons.hcloudCcm = { enabled: false };
    const spec = parseRaw(raw);
    const cluster = fakeCluster(spec);
    const def = definitionOf('hcloudCsi');
    const ctx: AddonContext = { spec, cluster, namespace: 'kube-system', namespaces: {} };
    const created = def.prerequisites!({ ctx, name: 'x-hcloud-csi', opts: { provider: cluster.provider } });
    expect(created).toHaveLength(1);
    const withCcm = stackSpec('staging');
    expect(def.prerequisites!({ ctx: { ...ctx, spec: withCcm }, name: 'y', opts: {} })).toEqual([]);
  });
});

describe('options', () => {
  test('VPA updater and admission controller follow the stack file', () => {
    const raw = rawStack('staging');
    raw.addons.vpa = { updater: true, admissionController: true };
    const values = valuesOf('vpa', parseRaw(raw));
    expect((values.updater as Values).enabled).toBe(true);
    expect((values.admissionController as Values).enabled).toBe(true);
  });

  test('metrics-server from the chart: two replicas and a PDB in prod', () => {
    const raw = rawStack('prod');
    raw.addons.metricsServer = { source: 'chart' };
    const values = valuesOf('metricsServer', parseRaw(raw, 'prod'));
    expect(values.replicas).toBe(2);
    expect(values.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
  });

  test('Vault storage size and replica count', () => {
    const raw = rawStack('staging');
    raw.addons.vault = { replicas: 7, storage: '20Gi' };
    const spec = parseRaw(raw);
    const server = valuesOf('vault', spec).server as { ha: Values; dataStorage: Values };
    expect(server.ha.replicas).toBe(7);
    expect(server.dataStorage.size).toBe('20Gi');
    expect(vaultRaftConfig(spec).match(/retry_join/g)).toHaveLength(7);
  });

  test('kube-prometheus-stack Alertmanager replicas', () => {
    const raw = rawStack('staging');
    raw.addons.kubePrometheusStack = { alertmanagerReplicas: 3 };
    const values = valuesOf('kubePrometheusStack', parseRaw(raw));
    expect((values.alertmanager as { alertmanagerSpec: Values }).alertmanagerSpec.replicas).toBe(3);
  });

  test('the autoscaler environment Secret is created only when the cloud module gives one', () => {
    mocks.reset();
    const spec = stackSpec('staging');
    const cluster = fakeCluster(spec);
    const def = definitionOf('clusterAutoscaler');
    const ctx: AddonContext = { spec, cluster, namespace: 'kube-system', namespaces: {} };
    expect(def.prerequisites!({ ctx, name: 'a', opts: {} })).toHaveLength(1);
    const noEnv = { ...cluster, autoscaler: { ...cluster.autoscaler, env: {} } };
    expect(def.prerequisites!({ ctx: { ...ctx, cluster: noEnv }, name: 'b', opts: {} })).toEqual([]);
    expect((valuesOf('clusterAutoscaler', spec, noEnv) as Values).envFromSecret).toBeUndefined();
  });
});

describe('prometheus-adapter external metrics', () => {
  it('serves one external rule per metric the services scale on, and none otherwise', () => {
    expect(
      (valuesOf('prometheusAdapter', stackSpec('staging')) as Record<string, Values>)['rules']!['external'],
    ).toEqual([]);
    const raw = rawStack('staging');
    delete raw.agents.warmPool;
    raw.addons = { ...raw.addons, keda: { enabled: false } };
    raw.services = [
      {
        name: 'queue-worker',
        namespace: 'team-research',
        image: 'ghcr.io/acme/worker:1.0.0',
        replicas: { min: 2, max: 10 },
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        pdbMinAvailable: 1,
        autoscaling: {
          external: [{ metric: 'rabbitmq_queue_messages', selector: { queue: 'tasks' }, averageValue: '10' }],
        },
      },
    ];
    const rules = (valuesOf('prometheusAdapter', parseRaw(raw, 'staging')) as Record<string, Values>)['rules']!;
    expect(rules['external']).toEqual([
      {
        seriesQuery: '{__name__="rabbitmq_queue_messages"}',
        resources: { namespaced: false },
        name: { matches: '^rabbitmq_queue_messages$', as: 'rabbitmq_queue_messages' },
        metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
      },
    ]);
  });
});
