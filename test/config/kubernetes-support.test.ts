import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  ADDON_CHARTS,
  ADDON_NAMES,
  CHART_SUPPORT,
  checkKubernetesSupport,
  compareMinors,
  CLUSTER_AUTOSCALER_TAGS,
  componentsFor,
  ConfigError,
  findStackFiles,
  GVISOR_RELEASE,
  GVISOR_SUPPORT,
  K3S_RELEASES,
  KUBERNETES_SUPPORT,
  loadStackFile,
  minorsFitting,
  parseEnvironment,
  SUPPORTED_KUBERNETES_MINORS,
  todayFromEnvironment,
  type AddonName,
  type EnvironmentSpec,
} from '../../config';
import { K3S_CONTAINERD_CONFIG_VERSION } from '../../infra/hcloud/gvisor';
import { configErrorOf, rawStack, REPO_ROOT, SHARED_ROOT } from '../support/environments';

const CHARTS = join(SHARED_ROOT, 'charts');
const pinned = Object.fromEntries(ADDON_NAMES.map((a) => [a, ADDON_CHARTS[a].version])) as Record<AddonName, string>;

/** Every environment file in the repository: the two stacks and each example. */
function everyStackFile(): string[] {
  const examples = readdirSync(join(REPO_ROOT, 'examples')).flatMap((dir) =>
    findStackFiles(join(REPO_ROOT, 'examples', dir)).map((f) => f.file),
  );
  return [...findStackFiles(REPO_ROOT).map((f) => f.file), ...examples];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const parseOn = (raw: any, today?: string) =>
  parseEnvironment(raw, { stack: 'test', source: 'Pulumi.test.yaml', ...(today ? { today } : {}) });
/** The environment as if KEDA were not installed (agents need it, so only the check sees this). */
const withoutKeda = (spec: EnvironmentSpec): EnvironmentSpec => ({
  ...spec,
  addons: { ...spec.addons, keda: { ...spec.addons.keda, enabled: false } },
});
const errorOn = (raw: unknown, today: string): string => {
  try {
    parseOn(raw, today);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('the supported-versions table against upstream data in ../shared', () => {
  it('pins only chart versions the table knows and ../shared/charts holds', () => {
    for (const addon of ADDON_NAMES) {
      const { chart, version } = ADDON_CHARTS[addon];
      expect(CHART_SUPPORT[addon].map((s) => s.version)).toContain(version);
      expect(existsSync(join(CHARTS, chart, version, 'Chart.yaml'))).toBe(true);
    }
  });

  it('knows only chart versions that ../shared/charts holds, and agrees with each Chart.yaml kubeVersion', () => {
    for (const addon of ADDON_NAMES) {
      for (const support of CHART_SUPPORT[addon]) {
        const file = join(CHARTS, ADDON_CHARTS[addon].chart, support.version, 'Chart.yaml');
        expect({ addon, version: support.version, exists: existsSync(file) }).toEqual({
          addon,
          version: support.version,
          exists: true,
        });
        const kubeVersion = (parse(readFileSync(file, 'utf8')) as { kubeVersion?: string }).kubeVersion;
        // ">= 1.24.0-0" / ">=v1.23.0-0": a lower bound the chart declares must be in the table, no older.
        const declared = kubeVersion ? /^>=\s*v?(\d+\.\d+)/.exec(kubeVersion)?.[1] : undefined;
        if (declared) {
          expect({ addon, version: support.version, oldest: support.oldest }).toEqual({
            addon,
            version: support.version,
            oldest: expect.any(String),
          });
          expect(compareMinors(support.oldest!, declared)).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it('has a Kubernetes schema for every supported minor (the gate judges against it)', () => {
    for (const minor of SUPPORTED_KUBERNETES_MINORS) {
      expect(existsSync(join(SHARED_ROOT, 'k8s-schemas', `v${minor}.0`, '_definitions.json'))).toBe(true);
    }
  });

  it('gives each minor a k3s release and an autoscaler image of that same minor', () => {
    for (const minor of SUPPORTED_KUBERNETES_MINORS) {
      expect(K3S_RELEASES[minor]).toMatch(new RegExp(`^v${minor.replace('.', '\\.')}\\.\\d+\\+k3s\\d+$`));
      expect(CLUSTER_AUTOSCALER_TAGS[minor]).toMatch(new RegExp(`^v${minor.replace('.', '\\.')}\\.\\d+$`));
      // gVisor nodes need the containerd config format of that k3s release (infra/hcloud/gvisor.ts).
      expect(K3S_CONTAINERD_CONFIG_VERSION[K3S_RELEASES[minor]]).toBe(3);
    }
  });

  it('lists the pinned gVisor release', () => {
    expect(GVISOR_SUPPORT.map((s) => s.version)).toContain(GVISOR_RELEASE);
  });

  it('reads per minor which component versions support it', () => {
    const on135 = componentsFor('1.35');
    expect(on135.minor).toMatchObject({ k3sRelease: 'v1.35.8+k3s1', upstreamEndOfLife: '2027-02-28' });
    expect(on135.charts.keda).toEqual(['2.20.2']);
    expect(on135.charts.hcloudCcm).toEqual(['1.35.0']);
    expect(on135.charts.hcloudCsi).toEqual(['2.22.1']);
    expect(on135.charts.istiod).toEqual(['1.30.3']);
    expect(on135.gvisor).toEqual([GVISOR_RELEASE]);
    expect(componentsFor('1.36').charts.keda).toEqual([]);
  });
});

describe('every environment is on the newest minor all pinned components support', () => {
  const newest = minorsFitting(pinned).at(-1);

  it('is 1.35 today (KEDA 2.20 is tested up to 1.35)', () => {
    expect(minorsFitting(pinned)).toEqual(['1.35']);
  });

  it.each(everyStackFile().map((f) => [f.slice(REPO_ROOT.length + 1), f]))('%s', (_name, file) => {
    expect(loadStackFile(file).spec.kubernetes.version).toBe(newest);
  });
});

describe('synth refuses what the table says does not fit', () => {
  it('refuses a minor a pinned chart does not support, naming the versions and minors that fit', () => {
    const raw = rawStack();
    raw.kubernetes.version = '1.36';
    expect(configErrorOf(raw)).toContain(
      'kubernetes.version ("1.36") keda chart 2.20.2 supports Kubernetes 1.33 to 1.35, not 1.36 ' +
        '(keda.sh/docs/2.20/operate/cluster: KEDA 2.20 is tested on Kubernetes 1.33 to 1.35); ' +
        'versions that fit 1.36: none known yet; minors that fit 2.20.2: 1.35',
    );
  });

  it('accepts 1.36 once KEDA, the only blocker, is not installed', () => {
    const spec = withoutKeda(parseOn(rawStack()).spec);
    expect(checkKubernetesSupport({ ...spec, kubernetes: { version: '1.36' } }).issues).toEqual([]);
  });

  it('refuses a chart override that does not support the minor, at the override', () => {
    const raw = rawStack();
    raw.addons = { ...raw.addons, hcloudCcm: { chartVersion: '1.27.0' } };
    expect(configErrorOf(raw)).toContain(
      'addons.hcloudCcm.chartVersion ("1.27.0") hcloud-cloud-controller-manager chart 1.27.0 supports Kubernetes 1.31 to 1.34, not 1.35',
    );
    expect(configErrorOf(raw)).toContain('versions that fit 1.35: 1.35.0');
  });

  it('refuses a chart override the table does not know, listing the known versions', () => {
    const raw = rawStack();
    raw.addons = { ...raw.addons, istio: { ...raw.addons?.istio, chartVersion: '1.31.0' } };
    const message = configErrorOf(raw);
    expect(message).toContain(
      'addons.istio.chartVersion ("1.31.0") is not a base chart version of config/kubernetes-support.ts (known: 1.30.3)',
    );
    // One override, four Istio charts: reported once.
    expect(message.match(/addons\.istio\.chartVersion/g)).toHaveLength(1);
  });

  it('accepts an override to another known version that fits', () => {
    const raw = rawStack();
    raw.addons = { ...raw.addons, kubePrometheusStack: { ...raw.addons?.kubePrometheusStack, chartVersion: '88.5.3' } };
    expect(parseOn(raw).spec.addons.kubePrometheusStack.chartVersion).toBe('88.5.3');
  });
});

describe('end of life, with today as a parameter', () => {
  it('warns 90 days ahead, naming what blocks the next minor', () => {
    expect(parseOn(rawStack(), '2026-12-02').warnings).toContain(
      'kubernetes.version 1.35 reaches upstream end of life on 2027-02-28, in 88 days; ' +
        'no newer minor fits every installed chart yet: 1.36 needs newer keda 2.20.2',
    );
    expect(parseOn(rawStack(), '2026-11-29').warnings.join('\n')).not.toContain('end of life');
  });

  it('names the minor to move to when one fits', () => {
    const spec = withoutKeda(parseOn(rawStack()).spec);
    expect(checkKubernetesSupport(spec, { today: '2027-01-15' }).warnings).toContain(
      'kubernetes.version 1.35 reaches upstream end of life on 2027-02-28, in 44 days; move to 1.36',
    );
  });

  it('refuses a minor past its upstream end of life', () => {
    expect(errorOn(rawStack(), '2027-03-01')).toContain(
      'kubernetes.version ("1.35") reached upstream end of life on 2027-02-28 (today is 2027-03-01); ' +
        'no newer minor fits every installed chart yet: 1.36 needs newer keda 2.20.2',
    );
  });

  it('on aws warns before EKS standard support ends and refuses after extended support', () => {
    const aws = loadStackFile(join(REPO_ROOT, 'examples', 'lobstack-aws', 'Pulumi.lobstack-aws.yaml')).spec;
    const on136 = { ...withoutKeda(aws), kubernetes: { version: '1.36' as const } };
    expect(checkKubernetesSupport(on136, { today: '2027-06-01' }).warnings).toContain(
      'kubernetes.version 1.36 leaves EKS standard support on 2027-08-02, in 62 days (extended support is billed extra)',
    );
    expect(checkKubernetesSupport(aws, { today: '2027-04-01' }).warnings).toContain(
      'kubernetes.version 1.35 is in EKS extended support since 2027-03-27 (billed extra per cluster hour) until 2028-03-27',
    );
    expect(checkKubernetesSupport(aws, { today: '2028-03-28' }).issues.map((i) => i.message)).toContain(
      'left EKS extended support on 2028-03-27 (today is 2028-03-28); EKS auto-upgrades such clusters. Offered: 1.35, 1.36',
    );
  });

  it('runs no date check without a date', () => {
    expect(checkKubernetesSupport(parseOn(rawStack()).spec)).toEqual({ issues: [], warnings: [] });
  });
});

describe('todayFromEnvironment (CLI edge only)', () => {
  it('takes AGENT_PLATFORM_TODAY, else the date of now', () => {
    expect(todayFromEnvironment({ AGENT_PLATFORM_TODAY: '2027-01-02' })).toBe('2027-01-02');
    expect(todayFromEnvironment({}, new Date('2026-12-02T23:59:00Z'))).toBe('2026-12-02');
  });

  it('refuses a malformed date', () => {
    expect(() => todayFromEnvironment({ AGENT_PLATFORM_TODAY: '02.12.2026' })).toThrow(ConfigError);
    expect(() => todayFromEnvironment({ AGENT_PLATFORM_TODAY: '02.12.2026' })).toThrow(
      'AGENT_PLATFORM_TODAY: 1 problem:\n  - (root) ("02.12.2026") must be a date like 2026-12-02 (yyyy-mm-dd)',
    );
  });
});

describe('KUBERNETES_SUPPORT', () => {
  it('holds a row per supported minor', () => {
    expect(Object.keys(KUBERNETES_SUPPORT)).toEqual([...SUPPORTED_KUBERNETES_MINORS]);
  });
});
