/**
 * Where a chart turns values into arguments that matter, what its template renders
 * from the values the add-ons pass (recorded under mocks with the real cloud modules),
 * reproduced from the template text in ../shared/charts and asserted: the autoscaler's
 * `--nodes` and auto-discovery flags, the Istio CNI host paths on k3s, Vault's Raft
 * configuration. The snippet each test reproduces is quoted from the template, so a
 * chart bump that changes it fails here first.
 */
import { parse } from 'yaml';
import { ADDON_CHARTS, namespaceOf, type EnvironmentSpec } from '../../../config';
import { nodeGroups, nodesArg } from '../../../infra/hcloud/autoscaler';
import { recordAddonReleases, type RecordedAddons, type RecordedRelease } from '../../support/addon-releases';
import { environmentFiles, specOf } from '../../support/all-environments';
import { renderFields, snippet, templateText } from '../../support/chart-templates';
import { loadChart } from '../../support/upstream-charts';

// Each environment runs its cloud module under mocks (a few seconds each on a loaded 2-core machine).
jest.setTimeout(120_000);

type Values = Record<string, unknown>;
const at = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o as Values | undefined)?.[k], obj);

const ENVIRONMENTS = environmentFiles().map((env) => [env.shown, env] as const);
const recorded = new Map<string, RecordedAddons>();

beforeAll(async () => {
  // One recording at a time (the mocked engine is process-wide).
  for (const [, env] of ENVIRONMENTS) recorded.set(env.file, await recordAddonReleases(specOf(env)));
  // Seven environments through the program under mocks: minutes on a busy 2-core machine.
}, 300_000);

function release(file: string, name: string): RecordedRelease | undefined {
  return recorded.get(file)!.releases.find((r) => r.name === name);
}

describe('cluster-autoscaler: --nodes and auto-discovery as the chart renders them', () => {
  const { chart, version } = ADDON_CHARTS.clusterAutoscaler;
  const deployment = templateText(chart, version, 'templates/deployment.yaml');
  const where = `${chart} ${version} templates/deployment.yaml`;
  // {{- if eq $.Values.cloudProvider "hetzner" }}
  // - --nodes={{ .minSize }}:{{ .maxSize }}:{{ .instanceType }}:{{ .region }}:{{ .name }}
  const hetznerNodes = snippet(
    deployment,
    /if eq \$\.Values\.cloudProvider "hetzner" \}\}\s*\n\s*- (--nodes=[^\n]+)/,
    where,
  );
  const awsDiscovery = snippet(
    deployment,
    /- (--node-group-auto-discovery=asg:tag=)\{\{ tpl \(join "," \.Values\.autoDiscovery\.tags\) \. \}\}/,
    where,
  );

  test('the template is the one reproduced here', () => {
    expect(hetznerNodes).toBe('--nodes={{ .minSize }}:{{ .maxSize }}:{{ .instanceType }}:{{ .region }}:{{ .name }}');
  });

  it('staging: one flag per pool and location, the elastic part of each pool, lower-case server types', () => {
    const values = release(ENVIRONMENTS.find(([, e]) => e.stack === 'staging')![1].file, 'cluster-autoscaler')!.values;
    const rendered = (values.autoscalingGroups as Values[]).map((g) => renderFields(hetznerNodes, g));
    expect(rendered).toEqual([
      '--nodes=0:2:cpx22:fsn1:lobstack-staging-api-fsn1',
      '--nodes=0:2:cpx22:nbg1:lobstack-staging-api-nbg1',
      '--nodes=0:1:cpx22:hel1:lobstack-staging-api-hel1',
      '--nodes=0:3:cpx42:fsn1:lobstack-staging-agents-fsn1',
      '--nodes=0:2:cpx42:nbg1:lobstack-staging-agents-nbg1',
      '--nodes=0:2:cpx42:hel1:lobstack-staging-agents-hel1',
    ]);
  });

  const hetzner = ENVIRONMENTS.filter(([, e]) => specOf(e).cloud.provider === 'hcloud');
  it.each(hetzner)('%s: renders exactly the node groups HCLOUD_CLUSTER_CONFIG describes', (_shown, env) => {
    const spec: EnvironmentSpec = specOf(env);
    const values = release(env.file, 'cluster-autoscaler')?.values;
    if (!values) return; // autoscaler disabled
    const rendered = (values.autoscalingGroups as Values[]).map((g) => renderFields(hetznerNodes, g));
    // The Hetzner provider looks each group NAME up in HCLOUD_CLUSTER_CONFIG.nodeConfigs
    // (one per node group of infra/hcloud/autoscaler.ts) and exits when it finds none.
    expect(rendered).toEqual(nodeGroups(spec).map(nodesArg));
    for (const flag of rendered) expect(flag).toMatch(/^--nodes=\d+:\d+:[a-z0-9]+:[a-z]+\d*:[a-z0-9-]+$/);
  });

  const aws = ENVIRONMENTS.filter(([, e]) => specOf(e).cloud.provider === 'aws');
  it.each(aws)('%s: discovers the Auto Scaling groups by tags they carry', (_shown, env) => {
    const values = release(env.file, 'cluster-autoscaler')?.values;
    if (!values) return;
    expect(values.autoscalingGroups).toBeUndefined();
    const tags =
      (at(values, 'autoDiscovery.tags') as string[] | undefined) ??
      (at(loadChart(chart, version)!.defaults, 'autoDiscovery.tags') as string[]).map((t) =>
        t.replace('{{ .Values.autoDiscovery.clusterName }}', String(at(values, 'autoDiscovery.clusterName'))),
      );
    const flag = `${awsDiscovery}${tags.join(',')}`;
    expect(flag).toMatch(
      /^--node-group-auto-discovery=asg:tag=k8s\.io\/cluster-autoscaler\/enabled,k8s\.io\/cluster-autoscaler\/[\w-]+$/,
    );
    const asgTagKeys = new Set(
      recorded
        .get(env.file)!
        .resources.filter((r) => r.type === 'aws:autoscaling/tag:Tag')
        .map((r) => (r.inputs.tag as { key: string }).key),
    );
    for (const tag of tags) expect({ tag, onTheGroups: asgTagKeys.has(tag) }).toEqual({ tag, onTheGroups: true });
  });
});

describe('istio-cni: host paths on k3s are the ones the chart mounts', () => {
  const { chart, version } = ADDON_CHARTS.istioCni;
  const daemonSet = templateText(chart, version, 'templates/daemonset.yaml');
  const k3sProfile = parse(templateText(chart, version, 'files/profile-platform-k3s.yaml')) as {
    cni: { cniBinDir: string; cniConfDir: string };
  };
  const where = `${chart} ${version} templates/daemonset.yaml`;
  // {{- if .Values.cniBinDir }} {{ $detectedBinDir = .Values.cniBinDir }} ... cni-bin-dir hostPath $detectedBinDir
  snippet(daemonSet, /(\{\{ \$detectedBinDir = \.Values\.cniBinDir \}\})/, where);
  snippet(daemonSet, /- name: cni-bin-dir\s+hostPath:\s+path: (\{\{ \$detectedBinDir \}\})/, where);
  snippet(daemonSet, /- name: cni-net-dir\s+hostPath:\s+path: (\{\{ \.Values\.cniConfDir \}\})/, where);
  // `cni.*` is copied to the top level first (templates/zzy_descope_legacy.yaml).
  snippet(templateText(chart, version, 'templates/zzy_descope_legacy.yaml'), /(index \$\.Values "cni")/, where);

  const mounted = (values: Values) => ({
    binDir: (at(values, 'cni.cniBinDir') as string | undefined) ?? '/opt/cni/bin',
    confDir:
      (at(values, 'cni.cniConfDir') as string | undefined) ??
      (loadChart(chart, version)!.defaults.cniConfDir as string),
  });

  it.each(ENVIRONMENTS)('%s', (_shown, env) => {
    const values = release(env.file, 'istio-cni')?.values;
    if (!values) return;
    const paths = mounted(values);
    if (specOf(env).cloud.provider === 'hcloud') {
      // k3s keeps CNI binaries and config under /var/lib/rancher: Istio's own k3s profile says so.
      expect(paths).toEqual({ binDir: k3sProfile.cni.cniBinDir, confDir: k3sProfile.cni.cniConfDir });
      expect(paths).toEqual({
        binDir: '/var/lib/rancher/k3s/data/cni',
        confDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d',
      });
    } else {
      // EKS (VPC CNI): the standard locations.
      expect(paths).toEqual({ binDir: '/opt/cni/bin', confDir: '/etc/cni/net.d' });
    }
  });
});

describe('vault: the Raft configuration the chart writes', () => {
  const { chart, version } = ADDON_CHARTS.vault;
  const helpers = templateText(chart, version, 'templates/_helpers.tpl');
  const where = `${chart} ${version} templates/_helpers.tpl`;
  // With raft enabled, the config is ha.raft.config; an HCL (non-JSON) string gets
  // "disable_mlock = true" appended, and then goes through `tpl`.
  snippet(helpers, /(\{\{- \$config = \.Values\.server\.ha\.raft\.config -\}\})/, where);
  snippet(helpers, /(\{\{- \$config = printf "%s\\n%s" \$config "disable_mlock = true" -\}\})/, where);
  snippet(helpers, /(\{\{- tpl \$config \. \| nindent 4 \| trim \}\})/, where);
  const headless = templateText(chart, version, 'templates/server-headless-service.yaml');
  snippet(
    headless,
    /name: (\{\{ template "vault\.fullname" \. \}\}-internal)/,
    `${chart} ${version} server-headless-service.yaml`,
  );
  const chartDefaults = loadChart(chart, version)!.defaults;

  const renderedConfig = (config: string) => {
    let isJson = true;
    try {
      JSON.parse(config);
    } catch {
      isJson = false;
    }
    return isJson ? config : `${config}\ndisable_mlock = true`;
  };

  it.each(ENVIRONMENTS)('%s', (_shown, env) => {
    const values = release(env.file, 'vault')?.values;
    if (!values) return;
    const spec = specOf(env);
    const config = at(values, 'server.ha.raft.config') as string;
    expect(at(values, 'server.ha.raft.enabled')).toBe(true);
    // `tpl` would evaluate template actions in our text.
    expect(config).not.toContain('{{');
    const rendered = renderedConfig(config);
    // Exactly one disable_mlock: Vault 1.21 refuses a duplicate attribute (hashicorp/vault#31634).
    expect(rendered.match(/^\s*disable_mlock\s*=/gm)).toHaveLength(1);
    // Raft data where the chart mounts the data volume.
    const mountPath = (at(values, 'server.dataStorage.mountPath') ??
      at(chartDefaults, 'server.dataStorage.mountPath')) as string;
    expect(rendered).toContain(`storage "raft" {\n  path = "${mountPath}"`);
    // Every peer of the StatefulSet (<release>-<i>) through the headless Service <fullname>-internal;
    // the fullname is the release name when it contains the chart name.
    const ns = namespaceOf(spec, 'vault').name;
    const replicas = at(values, 'server.ha.replicas') as number;
    const peers = [...rendered.matchAll(/leader_api_addr = "([^"]+)"/g)].map((m) => m[1]);
    expect(peers).toEqual(
      Array.from({ length: replicas }, (_, i) => `https://vault-${i}.vault-internal.${ns}.svc:8200`),
    );
    expect(replicas).toBe(spec.addons.vault.replicas);
  });
});

describe('falco: nothing fetched from the internet at start', () => {
  const { chart, version } = ADDON_CHARTS.falco;
  const podTemplate = templateText(chart, version, 'templates/pod-template.tpl');
  const where = `${chart} ${version} templates/pod-template.tpl`;
  // The falcoctl init container (download), its sidecar (follow) and the emptyDir over
  // /etc/falco that hides the image's own rules all hang on these two values.
  const gate = snippet(
    podTemplate,
    /\{\{- if (or \.Values\.falcoctl\.artifact\.install\.enabled \.Values\.falcoctl\.artifact\.follow\.enabled) \}\}\s*\n\s*\{\{- if has "rulesfile"[^\n]*\n\s*- mountPath: \/etc\/falco/,
    where,
  );
  snippet(podTemplate, /\{\{- if (\.Values\.falcoctl\.artifact\.install\.enabled) \}\}/, where);
  snippet(podTemplate, /\{\{- if (\.Values\.falcoctl\.artifact\.follow\.enabled) \}\}/, where);

  it.each(ENVIRONMENTS)('%s', (_shown, env) => {
    const values = release(env.file, 'falco')?.values;
    if (!values) return;
    expect(gate).toBe('or .Values.falcoctl.artifact.install.enabled .Values.falcoctl.artifact.follow.enabled');
    expect(at(values, 'falcoctl.artifact.install.enabled')).toBe(false);
    expect(at(values, 'falcoctl.artifact.follow.enabled')).toBe(false);
  });
});

describe('kube-prometheus-stack: Prometheus and Alertmanager keep their data on volumes', () => {
  it.each(ENVIRONMENTS)('%s', (_shown, env) => {
    const values = release(env.file, 'kube-prometheus-stack')?.values;
    if (!values) return;
    const claim = (path: string) => at(values, `${path}.volumeClaimTemplate.spec`);
    expect(claim('prometheus.prometheusSpec.storageSpec')).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: specOf(env).addons.kubePrometheusStack.storage } },
    });
    expect(claim('alertmanager.alertmanagerSpec.storage')).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    });
  });
});
