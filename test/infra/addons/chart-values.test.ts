/**
 * Every Helm value every add-on passes, in every environment of the repository (the
 * stack files and every example, discovered from the files), judged by the upstream
 * chart at the pinned version in ../shared/charts: a key the chart does not have is
 * silently ignored by Helm, so it fails here, naming the add-on, the path and the file.
 */
import { ADDON_CHARTS } from '../../../config';
import { addonCatalogue } from '../../../infra/addons/catalogue';
import { recordAddonReleases, type RecordedRelease } from '../../support/addon-releases';
import { environmentFiles, specOf } from '../../support/all-environments';
import { unknownValuePaths } from '../../support/chart-values';
import { availableVersions, loadChart } from '../../support/upstream-charts';

// Each environment runs its cloud module under mocks (a few seconds each on a loaded 2-core machine).
jest.setTimeout(120_000);

const ENVIRONMENTS = environmentFiles();

describe('every chart version the platform pins is in ../shared/charts', () => {
  it.each(Object.entries(ADDON_CHARTS))('%s', (_addon, pin) => {
    expect({
      version: pin.version,
      available: loadChart(pin.chart, pin.version) ? 'yes' : availableVersions(pin.chart),
    }).toEqual({
      version: pin.version,
      available: 'yes',
    });
  });

  it.each(ENVIRONMENTS.map((e) => [e.shown, e] as const))('%s: its overrides too', (_shown, env) => {
    const missing = addonCatalogue(specOf(env))
      .filter((entry) => entry.enabled && !loadChart(entry.chart, entry.version))
      .map(
        (entry) =>
          `${entry.name}: ${entry.chart} ${entry.version} (../shared/charts has ${availableVersions(entry.chart).join(', ') || 'none'})`,
      );
    expect(missing).toEqual([]);
  });
});

describe.each(ENVIRONMENTS.map((e) => [e.shown, e] as const))(
  '%s: Helm values known by their charts',
  (_shown, env) => {
    let releases: readonly RecordedRelease[];
    beforeAll(async () => {
      ({ releases } = await recordAddonReleases(specOf(env)));
    });

    it('installs every enabled add-on of the catalogue', () => {
      const enabled = addonCatalogue(specOf(env)).filter((e) => e.enabled);
      expect(releases.map((r) => r.name).sort()).toEqual(enabled.map((e) => e.release).sort());
    });

    it('passes only key paths the chart has', () => {
      const problems = releases.flatMap((release) => {
        const chart = loadChart(release.chart, release.version);
        if (!chart) return [`${release.name}: chart ${release.chart} ${release.version} is not in ../shared/charts`];
        return unknownValuePaths(chart, release.values).map((u) => `${release.name}: ${u.path} ${u.reason}`);
      });
      expect(problems).toEqual([]);
    });
  },
);

describe('the check itself, on values the charts do not have', () => {
  const problems = (chart: string, version: string, values: Record<string, unknown>) =>
    unknownValuePaths(loadChart(chart, version)!, values);

  it('names the path and the chart file of a key the chart does not have', () => {
    expect(problems('hcloud-cloud-controller-manager', '1.27.0', { tolerations: [] })).toEqual([
      {
        path: 'tolerations',
        reason: expect.stringContaining(
          'is not in ../shared/charts/hcloud-cloud-controller-manager/1.27.0/values.yaml (top level has additionalTolerations,',
        ),
      },
    ]);
  });

  it('allows what the chart leaves open: Kubernetes objects, user-named maps, ranges over a map', () => {
    expect(
      problems('hcloud-cloud-controller-manager', '1.27.0', {
        resources: { limits: { cpu: '1' } },
        podAnnotations: { a: 'b' },
        nodeSelector: { 'agent-platform.io/pool': 'system' },
        env: { HCLOUD_LOAD_BALANCERS_LOCATION: { value: 'fsn1' } },
      }),
    ).toEqual([]);
  });

  it('checks a subchart against its own values.yaml, after its enabled switch', () => {
    expect(
      problems('kube-prometheus-stack', '79.5.0', {
        grafana: { enabled: false },
        'kube-state-metrics': { resources: {}, replicas: 1, notAKey: true },
        'prometheus-node-exporter': { namespaceOverride: 'x', notAKeyEither: 1 },
      }).map((p) => [p.path, p.reason.split(' (')[0]]),
    ).toEqual([
      ['kube-state-metrics.notAKey', 'is not in ../shared/charts/kube-state-metrics/6.4.1/values.yaml'],
      [
        'prometheus-node-exporter.notAKeyEither',
        'is not in ../shared/charts/prometheus-node-exporter/4.49.1/values.yaml',
      ],
    ]);
  });

  it('reads Istio values as its templates do: defaults unwrapped, pilot.* and cni.* at the top level', () => {
    expect(
      problems('istiod', '1.30.3', { pilot: { replicaCount: 2, notAKey: 1 }, global: { istioNamespace: 'x' } }),
    ).toEqual([
      {
        path: 'pilot.notAKey',
        reason: expect.stringContaining('is not in ../shared/charts/istiod/1.30.3/values.yaml'),
      },
    ]);
    expect(problems('cni', '1.30.3', { cni: { cniBinDir: '/x' }, global: { istioNamespace: 'x' } })).toEqual([
      {
        path: 'global.istioNamespace',
        reason: expect.stringContaining('is not in ../shared/charts/cni/1.30.3/values.yaml'),
      },
    ]);
  });

  it('honours values.schema.json where it closes a map', () => {
    expect(problems('gateway', '1.30.3', { notAKey: true })).toEqual([
      { path: 'notAKey', reason: expect.stringContaining('values.schema.json') },
    ]);
  });

  it('treats an object schema that lists no properties as a free map (cert-manager nodeSelector), not its siblings', () => {
    expect(
      problems('cert-manager', '1.21.1', {
        nodeSelector: { 'agent-platform.io/pool': 'system' },
        webhook: { nodeSelector: { 'agent-platform.io/pool': 'system' } },
      }),
    ).toEqual([]);
    expect(problems('cert-manager', '1.21.1', { webhook: { notAKey: 1 } }).map((p) => p.path)).toEqual([
      'webhook.notAKey',
    ]);
  });

  it('refuses a map where the chart has a scalar', () => {
    expect(problems('falco', '7.0.1', { tty: { enabled: true } })).toEqual([
      { path: 'tty', reason: 'is a map, but ../shared/charts/falco/7.0.1/values.yaml has a boolean at tty' },
    ]);
  });
});
