/**
 * Add-ons: toggles whose default depends on the cloud (its profile's own add-ons and
 * metrics-server source) or on what the environment declares (config/cluster-needs.ts),
 * and the add-ons that others require.
 */
import { CLOUD_PROFILES, CLOUDS, cloudProfile } from '../clouds';
import type { ConfigIssue } from '../errors';
import type { AddonsSpec } from '../environment-spec';
import { awsLoadBalancerControllerNeeded } from '../load-balancer-controller-needed';
import type { ParsedEnvironment } from '../schema';
import { issue } from './issue';

type CloudAddonKey = 'hcloudCcm' | 'hcloudCsi';

/** The add-ons with their defaults filled in, and cloud-specific add-ons enabled on another cloud refused. */
export function resolveAddons(parsed: Pick<ParsedEnvironment, 'cloud' | 'addons' | 'backup' | 'nodePools'>): {
  addons: AddonsSpec;
  issues: ConfigIssue[];
} {
  const provider = parsed.cloud.provider;
  const issues: ConfigIssue[] = [];
  const cloudOnly = (key: CloudAddonKey) => {
    const enabled = parsed.addons[key].enabled;
    const owner = CLOUDS.find((c) => key in CLOUD_PROFILES[c].ownAddons)!;
    if (enabled && owner !== provider) {
      const message = `must be false on ${provider}: ${CLOUD_PROFILES[owner].ownAddons[key]} runs only on ${owner}`;
      issues.push(issue(['addons', key, 'enabled'], message, enabled));
    }
    return { ...parsed.addons[key], enabled: enabled ?? owner === provider };
  };
  const optOut = (enabled: boolean | undefined, needed: boolean) => (enabled ?? true) && needed;
  const { metricsServer, velero, awsLoadBalancerController: lbc, nvidiaDevicePlugin: nvidia } = parsed.addons;
  const addons: AddonsSpec = {
    ...parsed.addons,
    metricsServer: { ...metricsServer, source: metricsServer.source ?? cloudProfile(provider).metricsServerSource },
    hcloudCcm: cloudOnly('hcloudCcm'),
    hcloudCsi: cloudOnly('hcloudCsi'),
    velero: { ...velero, enabled: optOut(velero.enabled, parsed.backup !== undefined) },
    // What the environment declares decides these (config/cluster-needs.ts); `enabled: false` opts out.
    awsLoadBalancerController: {
      ...lbc,
      enabled: optOut(lbc.enabled, awsLoadBalancerControllerNeeded(provider, parsed.addons.istio.enabled)),
    },
    nvidiaDevicePlugin: {
      ...nvidia,
      enabled: optOut(
        nvidia.enabled,
        parsed.nodePools.some((p) => p.gpu),
      ),
    },
  };
  return { addons, issues };
}

const ADAPTER_SERVES_PODS_METRIC =
  'requires addons.prometheusAdapter.enabled: the pods metric is served by prometheus-adapter';

/** Add-ons that settings or other add-ons depend on: Raft's majority, the metrics APIs, KEDA for the warm pool. */
export function addonRequirementIssues(
  parsed: Pick<ParsedEnvironment, 'controlPlaneApi' | 'services' | 'agents'>,
  addons: AddonsSpec,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const adapter = addons.prometheusAdapter.enabled;
  if (addons.vault.enabled && addons.vault.replicas % 2 === 0) {
    issues.push(
      issue(['addons', 'vault', 'replicas'], 'must be odd: Raft needs a majority (3 or 5)', addons.vault.replicas),
    );
  }
  if (adapter && !addons.kubePrometheusStack.enabled) {
    const message = 'requires addons.kubePrometheusStack.enabled: the adapter reads Prometheus';
    issues.push(issue(['addons', 'prometheusAdapter', 'enabled'], message, true));
  }
  const apiRps = parsed.controlPlaneApi.autoscaling.requestsPerSecond;
  if (apiRps !== undefined && !adapter) {
    issues.push(issue(['controlPlaneApi', 'autoscaling', 'requestsPerSecond'], ADAPTER_SERVES_PODS_METRIC, apiRps));
  }
  parsed.services.forEach((s, i) => {
    const rps = s.autoscaling.requestsPerSecond;
    if (rps !== undefined && !adapter) {
      issues.push(issue(['services', i, 'autoscaling', 'requestsPerSecond'], ADAPTER_SERVES_PODS_METRIC, rps));
    }
  });
  parsed.services.forEach((s, i) => {
    if (s.autoscaling.external.length > 0) issues.push(...externalMetricIssues(i, addons));
  });
  if (parsed.agents?.warmPool && !addons.keda.enabled) {
    const message = 'must be true when agents are defined: KEDA scales the warm pool';
    issues.push(issue(['addons', 'keda', 'enabled'], message, false));
  }
  return issues;
}

/** A service scaled on external metrics: KEDA must not own the external metrics API, the adapter must serve it. */
function externalMetricIssues(i: number, addons: AddonsSpec): ConfigIssue[] {
  const path = ['services', i, 'autoscaling', 'external'];
  if (addons.keda.enabled) {
    return [
      issue(
        path,
        'cannot be served while addons.keda is enabled: KEDA owns the external metrics API; scale this service with services[].keda, or disable KEDA',
      ),
    ];
  }
  if (!addons.prometheusAdapter.enabled) {
    return [
      issue(path, 'requires addons.prometheusAdapter.enabled: it serves the external metrics API from Prometheus'),
    ];
  }
  return [];
}
