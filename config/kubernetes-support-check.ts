/**
 * Synth refuses what the supported-versions table (config/kubernetes-support.ts) says
 * does not fit: an add-on chart version that does not support the environment's
 * Kubernetes minor (the pin or a stack-file override), a chart version the table does
 * not know, and on aws a minor EKS no longer offers. With a "today" (passed in by the
 * CLI edge, never read from the clock here) it also refuses a minor past its upstream
 * end of life or past EKS extended support, and warns 90 days ahead.
 */
import { cloudProfile } from './clouds';
import type { ConfigIssue } from './errors';
import type { EnvironmentSpec } from './environment';
import {
  CHART_SUPPORT,
  chartSupport,
  chartVersionsFitting,
  compareMinors,
  daysBetween,
  describeRange,
  KUBERNETES_SUPPORT,
  minorsFitting,
  nextMinor,
  SUPPORTED_KUBERNETES_MINORS,
  supportsMinor,
  type KubernetesMinor,
} from './kubernetes-support';
import { ADDON_CHARTS, ADDON_NAMES, type AddonName } from './versions';

/** Warn this many days before a minor's upstream end of life (or the end of EKS standard support). */
export const END_OF_LIFE_WARNING_DAYS = 90;

/** The stack-file key under `addons` that holds each add-on's `enabled` and `chartVersion`. */
export const ADDON_CONFIG_KEY = {
  keda: 'keda',
  vpa: 'vpa',
  metricsServer: 'metricsServer',
  prometheusAdapter: 'prometheusAdapter',
  kubePrometheusStack: 'kubePrometheusStack',
  falco: 'falco',
  falcoGvisor: 'falco',
  vault: 'vault',
  istioBase: 'istio',
  istioCni: 'istio',
  istiod: 'istio',
  istioGateway: 'istio',
  clusterAutoscaler: 'clusterAutoscaler',
  hcloudCcm: 'hcloudCcm',
  hcloudCsi: 'hcloudCsi',
  snapshotController: 'snapshotController',
  certManager: 'certManager',
  externalDns: 'externalDns',
  fluentBit: 'fluentBit',
  falcosidekick: 'falcosidekick',
  velero: 'velero',
  awsLoadBalancerController: 'awsLoadBalancerController',
  nvidiaDevicePlugin: 'nvidiaDevicePlugin',
} as const satisfies Record<AddonName, keyof EnvironmentSpec['addons']>;

export interface ChartInUse {
  readonly addon: AddonName;
  readonly version: string;
  /** true when the stack file sets `addons.<key>.chartVersion`. */
  readonly overridden: boolean;
}

/** The chart version of every add-on this environment installs (the pin or the override). */
export function chartsInUse(spec: Pick<EnvironmentSpec, 'addons'>): ChartInUse[] {
  return ADDON_NAMES.filter((addon) => addonInstalled(spec, addon)).map((addon) => {
    const override = spec.addons[ADDON_CONFIG_KEY[addon]].chartVersion;
    return { addon, version: override ?? ADDON_CHARTS[addon].version, overridden: override !== undefined };
  });
}

function addonInstalled(spec: Pick<EnvironmentSpec, 'addons'>, addon: AddonName): boolean {
  const settings = spec.addons[ADDON_CONFIG_KEY[addon]];
  if (addon === 'metricsServer')
    return spec.addons.metricsServer.enabled && spec.addons.metricsServer.source === 'chart';
  return settings.enabled;
}

export interface SupportCheckOptions {
  /** Today (yyyy-mm-dd). @default - the date-dependent checks do not run */
  readonly today?: string;
}

export interface SupportCheckResult {
  readonly issues: ConfigIssue[];
  readonly warnings: string[];
}

const VERSION_PATH = ['kubernetes', 'version'];

/** Every refusal and warning the table implies for one environment. */
export function checkKubernetesSupport(
  spec: Pick<EnvironmentSpec, 'kubernetes' | 'cloud' | 'addons'>,
  options: SupportCheckOptions = {},
): SupportCheckResult {
  const minor = spec.kubernetes.version;
  const issues: ConfigIssue[] = [...chartIssues(spec, minor)];
  const warnings: string[] = [];
  const eks = cloudProfile(spec.cloud.provider).distribution === 'eks';
  if (options.today) {
    lifecycle(minor, options.today, chartsInUse(spec), issues, warnings);
    if (eks) eksLifecycle(minor, options.today, issues, warnings);
  }
  if (eks && !KUBERNETES_SUPPORT[minor].eks) {
    issues.push(issueAt(VERSION_PATH, `is not offered by EKS (offered: ${eksMinors().join(', ')})`, minor));
  }
  return { issues, warnings };
}

function chartIssues(spec: Pick<EnvironmentSpec, 'addons'>, minor: KubernetesMinor): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const reported = new Set<string>();
  for (const chart of chartsInUse(spec)) {
    const key = ADDON_CONFIG_KEY[chart.addon];
    // istioBase/istioCni/istiod/istioGateway share one override: report it once.
    if (reported.has(`${key}@${chart.version}`)) continue;
    const support = chartSupport(chart.addon, chart.version);
    const fits = chartVersionsFitting(chart.addon, minor);
    const path = chart.overridden ? ['addons', key, 'chartVersion'] : VERSION_PATH;
    const input = chart.overridden ? chart.version : minor;
    const chartName = `${ADDON_CHARTS[chart.addon].chart} chart`;
    if (!support) {
      reported.add(`${key}@${chart.version}`);
      issues.push(
        issueAt(
          path,
          `is not a ${chartName} version of config/kubernetes-support.ts (known: ${CHART_SUPPORT[chart.addon].map((s) => s.version).join(', ')}); ` +
            'add it there with the Kubernetes minors upstream says it supports',
          input,
        ),
      );
    } else if (!supportsMinor(support, minor)) {
      reported.add(`${key}@${chart.version}`);
      const otherMinors = minorsFitting({ [chart.addon]: chart.version });
      issues.push(
        issueAt(
          path,
          `${chartName} ${chart.version} supports Kubernetes ${describeRange(support)}, not ${minor} (${support.source}); ` +
            `versions that fit ${minor}: ${fits.join(', ') || 'none known yet'}` +
            (otherMinors.length > 0 ? `; minors that fit ${chart.version}: ${otherMinors.join(', ')}` : ''),
          input,
        ),
      );
    }
  }
  return issues;
}

function lifecycle(
  minor: KubernetesMinor,
  today: string,
  charts: readonly ChartInUse[],
  issues: ConfigIssue[],
  warnings: string[],
): void {
  const eol = KUBERNETES_SUPPORT[minor].upstreamEndOfLife;
  const left = daysBetween(today, eol);
  if (left > END_OF_LIFE_WARNING_DAYS) return;
  const next = nextStep(minor, today, charts);
  if (left < 0) {
    issues.push(issueAt(VERSION_PATH, `reached upstream end of life on ${eol} (today is ${today}); ${next}`, minor));
  } else {
    warnings.push(`kubernetes.version ${minor} reaches upstream end of life on ${eol}, in ${left} days; ${next}`);
  }
}

/** Where to go from a minor nearing its end: the newer minors every installed chart supports, or what blocks them. */
function nextStep(minor: KubernetesMinor, today: string, charts: readonly ChartInUse[]): string {
  const alive = SUPPORTED_KUBERNETES_MINORS.filter(
    (m) => compareMinors(m, minor) > 0 && daysBetween(today, KUBERNETES_SUPPORT[m].upstreamEndOfLife) >= 0,
  );
  const pins = Object.fromEntries(charts.map((c) => [c.addon, c.version]));
  const fitting = minorsFitting(pins).filter((m) => alive.includes(m));
  if (fitting.length > 0) return `move to ${fitting.join(' or ')}`;
  const target = alive[0] ?? nextMinor(minor);
  const blockers = charts
    .filter((c) => {
      const support = chartSupport(c.addon, c.version);
      return !support || !supportsMinor(support, target);
    })
    .map((c) => `${ADDON_CHARTS[c.addon].chart} ${c.version}`);
  return `no newer minor fits every installed chart yet: ${target} needs newer ${[...new Set(blockers)].join(', ') || 'entries in config/kubernetes-support.ts'}`;
}

function eksLifecycle(minor: KubernetesMinor, today: string, issues: ConfigIssue[], warnings: string[]): void {
  const eks = KUBERNETES_SUPPORT[minor].eks;
  if (!eks) return;
  if (daysBetween(today, eks.extendedEnds) < 0) {
    issues.push(
      issueAt(
        VERSION_PATH,
        `left EKS extended support on ${eks.extendedEnds} (today is ${today}); EKS auto-upgrades such clusters. Offered: ${eksMinors().join(', ')}`,
        minor,
      ),
    );
  } else if (daysBetween(today, eks.standardEnds) < 0) {
    warnings.push(
      `kubernetes.version ${minor} is in EKS extended support since ${eks.standardEnds} (billed extra per cluster hour) until ${eks.extendedEnds}`,
    );
  } else if (daysBetween(today, eks.standardEnds) <= END_OF_LIFE_WARNING_DAYS) {
    warnings.push(
      `kubernetes.version ${minor} leaves EKS standard support on ${eks.standardEnds}, in ${daysBetween(today, eks.standardEnds)} days (extended support is billed extra)`,
    );
  }
}

function eksMinors(): string[] {
  return SUPPORTED_KUBERNETES_MINORS.filter((m) => KUBERNETES_SUPPORT[m].eks);
}

function issueAt(path: PropertyKey[], message: string, input: unknown): ConfigIssue {
  return { path, message, input, hasInput: true };
}
