/**
 * Where a chart turns values into arguments that matter, what its template renders
 * from the values the add-ons pass (recorded under mocks with the real cloud modules),
 * reproduced from the template text in ../shared/charts and asserted: the autoscaler's
 * `--nodes` and auto-discovery flags, the Istio CNI host paths on k3s, Vault's Raft
 * configuration, and Falco's gVisor release against the gVisor nodes (its host paths, and
 * its init container run against the file the nodes write). The snippet each test
 * reproduces is quoted from the template, so a chart bump that changes it fails here first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { ADDON_CHARTS, namespaceOf, nodeLabels, type EnvironmentSpec } from '../../../config';
import { falcoGvisor } from '../../../infra/addons/falco';
import { gvisorContainerdSnippet, gvisorUserData } from '../../../infra/aws/gvisor-user-data';
import { runscShimConfig } from '../../../infra/gvisor-node';
import { nodeGroups, nodesArg } from '../../../infra/hcloud/autoscaler';
import { renderCloudInit } from '../../../infra/hcloud/cloud-init';
import { poolBootstrap } from '../../../infra/hcloud/node-bootstrap';
import { recordAddonReleases, type RecordedAddons, type RecordedRelease } from '../../support/addon-releases';
import { environmentFiles, specOf } from '../../support/all-environments';
import { renderFields, snippet, templateText } from '../../support/chart-templates';
import { loadChart } from '../../support/upstream-charts';

// Each environment runs its cloud module under mocks (a few seconds each on a loaded 2-core machine).
jest.setTimeout(120_000);

type Values = Record<string, unknown>;
/** A TOML document as data, read by Python's tomllib (runsc's shim reads it with a TOML parser). */
const tomlOf = (text: string): unknown =>
  JSON.parse(
    execFileSync('python3', ['-c', 'import json, sys, tomllib\nprint(json.dumps(tomllib.loads(sys.stdin.read())))'], {
      input: text,
      encoding: 'utf8',
    }),
  );
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

describe('falco-gvisor: what the chart mounts and runs is what the gVisor nodes provide', () => {
  const { chart, version } = ADDON_CHARTS.falcoGvisor;
  const podTemplate = templateText(chart, version, 'templates/pod-template.tpl');
  const helpers = templateText(chart, version, 'templates/_helpers.tpl');
  const where = `${chart} ${version} templates/pod-template.tpl`;
  const whereHelpers = `${chart} ${version} templates/_helpers.tpl`;
  // The host paths of the gVisor volumes (hostPath, `type: File` where the file must exist).
  const runscBinary = snippet(podTemplate, /- name: runsc-path\s+hostPath:\s+path: ([^\n]+)\s+type: File/, where);
  const runscRoot = snippet(podTemplate, /- name: runsc-root\s+hostPath:\s+path: ([^\n]+)/, where);
  const runscConfig = snippet(podTemplate, /- name: runsc-config\s+hostPath:\s+path: ([^\n]+)\s+type: File/, where);
  snippet(podTemplate, /\{\{- with (\.Values\.nodeSelector) \}\}\s*\n\s*nodeSelector:/, where);
  // The init container's script, and the runsc root Falco reads sandboxes from.
  const initScript = snippet(
    helpers,
    /define "falco\.gvisor\.initContainer"[\s\S]*?- -c\n\s*- \|\n([\s\S]*?)\n {2}volumeMounts:/,
    whereHelpers,
  );
  const engineRoot = snippet(helpers, /\$root := printf "([^"]+)" \.Values\.driver\.gvisor\.runsc\.root/, whereHelpers);
  /** `{{ .Values.driver.gvisor.runsc.<key> }}` → our value, as Helm renders it. */
  const render = (text: string, runsc: Values) =>
    text.replace(/\{\{ \.Values\.driver\.gvisor\.runsc\.(\w+) \}\}/g, (_, key: string) => String(runsc[key]));

  // Known at collection time, before the recordings: the definition says where it is installed,
  // and the first test holds the recordings to it.
  const withRelease = ENVIRONMENTS.filter(([, env]) => falcoGvisor.enabled(specOf(env)));
  const runscOf = (env: (typeof ENVIRONMENTS)[number][1]) =>
    at(release(env.file, 'falco-gvisor')!.values, 'driver.gvisor.runsc') as Values;

  test('the templates are the ones reproduced here', () => {
    expect([runscBinary, runscRoot, runscConfig]).toEqual([
      '{{ .Values.driver.gvisor.runsc.path }}/runsc',
      '{{ .Values.driver.gvisor.runsc.root }}',
      '{{ .Values.driver.gvisor.runsc.config }}',
    ]);
    expect(engineRoot).toBe('/host%s/k8s.io');
    expect(initScript).toContain('echo "  pod-init-config = \\"${root}/pod-init.json\\"" >> /host${config}');
  });

  it('runs wherever a pool runs gVisor, and only there', () => {
    for (const [, env] of ENVIRONMENTS) {
      const spec = specOf(env);
      expect({ env: env.shown, installed: Boolean(release(env.file, 'falco-gvisor')) }).toEqual({
        env: env.shown,
        installed: spec.addons.falco.enabled && spec.nodePools.some((p) => p.gvisor),
      });
    }
    expect(withRelease.length).toBeGreaterThan(0);
    for (const [, env] of withRelease) expect(release(env.file, 'falco-gvisor')).toBeDefined();
  });

  it.each(withRelease)('%s: selects exactly the gVisor pools, whose nodes boot with runsc', (_shown, env) => {
    const spec = specOf(env);
    const selector = at(release(env.file, 'falco-gvisor')!.values, 'nodeSelector') as Record<string, string>;
    for (const pool of spec.nodePools) {
      const labels = nodeLabels(pool);
      const selected = Object.entries(selector).every(([k, v]) => labels[k] === v);
      const bootsRunsc =
        spec.cloud.provider === 'hcloud' ? poolBootstrap(spec, pool).gvisorRelease !== undefined : pool.gvisor; // infra/aws/node-group.ts: gVisor user data exactly on gvisor pools
      expect({ pool: pool.name, selected }).toEqual({ pool: pool.name, selected: bootsRunsc });
    }
  });

  it.each(withRelease)('%s: mounts the runsc binary, root and config file the nodes write', (_shown, env) => {
    const spec = specOf(env);
    const runsc = runscOf(env);
    const binary = render(runscBinary, runsc);
    const config = render(runscConfig, runsc);
    // Where the node installs runsc, and the shim's default runsc root (gVisor pkg/shim/v1/proc/proc.go
    // RunscRoot; containerd's runtime options set no `root`), under which the CRI's namespace lives.
    expect(binary).toBe('/usr/local/bin/runsc');
    expect(render(runscRoot, runsc)).toBe('/run/containerd/runsc');
    expect(engineRoot.replace('%s', String(runsc.root))).toBe('/host/run/containerd/runsc/k8s.io');
    const bin = binary.slice(0, -'/runsc'.length);
    if (spec.cloud.provider === 'hcloud') {
      const pool = spec.nodePools.find((p) => p.gvisor)!;
      const userData = renderCloudInit({
        ...poolBootstrap(spec, pool),
        role: 'agent',
        token: 'K10abc::node:x',
        serverUrl: 'https://10.0.0.1:6443',
      });
      const files = (parse(userData) as { write_files: { path: string; content: string }[] }).write_files;
      expect(files.find((f) => f.path.endsWith('k3s-bootstrap.sh'))!.content).toContain(
        `"\${tmp}/containerd-shim-runsc-v1" ${bin}/`,
      );
      // The file exists from first boot (type File), and containerd hands it to the shim.
      expect(files.map((f) => f.path)).toContain(config);
      const template = files.find((f) => f.path.endsWith('.toml.tmpl'))!.content;
      expect(template).toContain(`ConfigPath = "${config}"`);
      expect(template).not.toMatch(/^\s*[Rr]oot\s*=/m);
    } else {
      const userData = gvisorUserData();
      expect(userData).toContain(`runsc containerd-shim-runsc-v1 ${bin}/`);
      expect(userData).toContain(`cat > '${config}'`);
      expect(gvisorContainerdSnippet()).toContain(`ConfigPath = "${config}"`);
      expect(gvisorContainerdSnippet()).not.toMatch(/^\s*[Rr]oot\s*=/m);
    }
  });

  describe.each(withRelease)('%s: the init container, run against the node file', (_shown, env) => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'falco-gvisor-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Runs the chart's script with the host under `dir/host`, a fake falco and `dir/gvisor-config`. */
    function initContainer(nodeFile: string | undefined) {
      const runsc = runscOf(env);
      const host = join(dir, 'host');
      mkdirSync(join(host, String(runsc.root)), { recursive: true });
      mkdirSync(join(dir, 'gvisor-config'));
      if (nodeFile !== undefined) {
        mkdirSync(join(host, dirname(String(runsc.config))), { recursive: true });
        writeFileSync(join(host, String(runsc.config)), nodeFile);
      }
      const falcoBin = join(dir, 'falco');
      // What `falco --gvisor-generate-config=<socket>` prints (jsoncpp's toStyledString layout).
      writeFileSync(
        falcoBin,
        [
          '#!/bin/bash',
          'socket="${1#--gvisor-generate-config=}"',
          'printf \'{\\n   "trace_session" : {\\n      "ignore_missing" : true,\\n      "name" : "Default",\\n      "sinks" : [ { "config" : { "endpoint" : "%s" }, "ignore_setup_error" : true, "name" : "remote" } ]\\n   }\\n}\\n\' "$socket"',
        ].join('\n'),
        { mode: 0o755 },
      );
      const script = render(initScript, runsc)
        .replace(/^ {6}/gm, '')
        .replaceAll('/host${', `${host}\${`)
        .replaceAll('/usr/bin/falco', falcoBin)
        .replaceAll('/gvisor-config/', `${dir}/gvisor-config/`);
      const result = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
      const file = join(host, String(runsc.config));
      return {
        status: result.status,
        stdout: result.stdout,
        config: existsSync(file) ? readFileSync(file, 'utf8') : '',
      };
    }

    it('appends pod-init-config into [runsc_config] of the file the node wrote, once', () => {
      const first = initContainer(runscShimConfig());
      expect(first.status).toBe(0);
      const root = String(runscOf(env).root);
      expect(tomlOf(first.config)).toEqual({ runsc_config: { 'pod-init-config': `${root}/pod-init.json` } });
      // Falco reads the session config with the socket under /host.
      expect(readFileSync(join(dir, 'gvisor-config', 'pod-init.json'), 'utf8')).toContain(
        `"endpoint" : "/host${root}/falco.sock"`,
      );
      // The pod restarts: the line is not added again.
      rmSync(join(dir, 'gvisor-config'), { recursive: true });
      const again = initContainer(first.config);
      expect(again.status).toBe(0);
      expect(again.config).toBe(first.config);
    });

    it('fails when the node has no runsc config file (why the nodes write it at first boot)', () => {
      const run = initContainer(undefined);
      expect(run.status).not.toBe(0);
      expect(run.stdout).toContain('not found');
    });
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
