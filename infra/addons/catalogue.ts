/**
 * Every add-on the platform can install, in one list: chart, pinned version (from
 * config/versions.ts, or the stack file's override), namespace, dependencies, the
 * CRD groups it provides. The Pulumi component, the offline plan and the tests all
 * read this; bump versions in config/versions.ts.
 */
import { ADDON_CHARTS, ADDON_NAMES, type AddonName, type EnvironmentSpec } from '../../config';
import { awsLoadBalancerController } from './aws-load-balancer-controller';
import { certManager } from './cert-manager';
import { clusterAutoscaler } from './cluster-autoscaler';
import { externalDns } from './external-dns';
import { falco } from './falco';
import { falcosidekick } from './falcosidekick';
import { fluentBit } from './fluent-bit';
import { transitiveDependencies, type DependencyGraph } from './graph';
import { hcloudCcm } from './hcloud-ccm';
import { hcloudCsi } from './hcloud-csi';
import { istioBase } from './istio-base';
import { istioCni } from './istio-cni';
import { istioGateway } from './istio-gateway';
import { istiod } from './istiod';
import { keda } from './keda';
import { kubePrometheusStack } from './kube-prometheus-stack';
import { metricsServer } from './metrics-server';
import { nvidiaDevicePlugin } from './nvidia-device-plugin';
import { prometheusAdapter } from './prometheus-adapter';
import { snapshotController } from './snapshot-controller';
import type { AddonDefinition, AddonPlacement, ResolvedChart } from './types';
import { vault } from './vault';
import { velero } from './velero';
import { vpa } from './vpa';

/** Every definition; the order breaks ties in the install order (cloud integration first). */
export const ADDON_DEFINITIONS: readonly AddonDefinition[] = [
  hcloudCcm,
  hcloudCsi,
  snapshotController,
  awsLoadBalancerController,
  metricsServer,
  clusterAutoscaler,
  nvidiaDevicePlugin,
  istioBase,
  istioCni,
  istiod,
  istioGateway,
  kubePrometheusStack,
  prometheusAdapter,
  keda,
  vpa,
  certManager,
  vault,
  falco,
  falcosidekick,
  externalDns,
  fluentBit,
  velero,
];

{
  // One definition per pinned chart, and no definition without a pin.
  const defined = ADDON_DEFINITIONS.map((d) => d.name);
  const missing = ADDON_NAMES.filter((n) => !defined.includes(n));
  const duplicated = defined.filter((n, i) => defined.indexOf(n) !== i);
  if (missing.length > 0 || duplicated.length > 0) {
    throw new Error(
      `infra/addons/catalogue.ts: add-on definitions out of step with ADDON_CHARTS (missing: ${missing.join(', ') || 'none'}; duplicated: ${duplicated.join(', ') || 'none'})`,
    );
  }
}

export function definitionOf(name: AddonName): AddonDefinition {
  return ADDON_DEFINITIONS.find((d) => d.name === name)!;
}

/** The chart of an add-on in this environment: the pin, or the stack file's override. */
export function resolveChart(def: AddonDefinition, spec: EnvironmentSpec): ResolvedChart {
  const pin = ADDON_CHARTS[def.name];
  const override = def.chartVersionOverride(spec);
  return { ...pin, version: override ?? pin.version, overridden: override !== undefined };
}

/** The enabled add-ons, in catalogue order. */
export function enabledAddons(spec: EnvironmentSpec): AddonName[] {
  return ADDON_DEFINITIONS.filter((d) => d.enabled(spec)).map((d) => d.name);
}

/** The enabled add-ons and their dependencies (disabled dependencies dropped), in catalogue order. */
export function addonGraph(spec: EnvironmentSpec): DependencyGraph<AddonName> {
  const enabled = enabledAddons(spec).map(definitionOf);
  const names = new Set(enabled.map((d) => d.name));
  return new Map(enabled.map((d) => [d.name, d.dependsOn(spec).filter((dep) => names.has(dep))] as const));
}

/**
 * Every CRD group an enabled add-on creates objects of must be installed by one of
 * its (transitive) dependencies, or Helm would fail on an unknown kind. Throws naming
 * the add-on, the group and the fix.
 */
export function checkCrdOrdering(spec: EnvironmentSpec, graph: DependencyGraph<AddonName> = addonGraph(spec)): void {
  const problems: string[] = [];
  for (const [addon] of graph) {
    const uses = definitionOf(addon).usesCrdGroups?.(spec) ?? [];
    const before = transitiveDependencies(graph, addon);
    for (const group of uses) {
      const providers = ADDON_DEFINITIONS.filter((d) => d.crdGroups.includes(group)).map((d) => d.name);
      if (!providers.some((p) => before.has(p))) {
        problems.push(
          `${addon} creates ${group} objects but does not depend on an enabled add-on that installs them ` +
            `(${providers.join(', ') || 'none'}); add it to ${addon}'s dependsOn in infra/addons/`,
        );
      }
    }
  }
  if (problems.length > 0) throw new Error(`add-on CRD ordering:\n  - ${problems.join('\n  - ')}`);
}

export interface CatalogueEntry {
  readonly name: AddonName;
  readonly enabled: boolean;
  readonly release: string;
  readonly chart: string;
  readonly repository: string;
  readonly version: string;
  /** true when the stack file overrides the pinned version. */
  readonly versionOverridden: boolean;
  /** Namespace (undefined when disabled: its namespace may not exist). */
  readonly namespace?: string;
  /** Enabled add-ons this one installs after. */
  readonly dependsOn: readonly AddonName[];
  readonly crdGroups: readonly string[];
  /** CRD groups of other add-ons it creates objects of. */
  readonly usesCrdGroups: readonly string[];
  readonly admissionWebhooks: boolean;
  readonly placement: AddonPlacement;
  readonly purpose: string;
}

/**
 * The catalogue of one environment: every add-on, enabled or not. `graph` is the
 * environment's dependency graph when the caller has it (the add-on plan, plan.ts).
 */
export function addonCatalogue(
  spec: EnvironmentSpec,
  graph: DependencyGraph<AddonName> = addonGraph(spec),
): CatalogueEntry[] {
  return ADDON_DEFINITIONS.map((def) => {
    const enabled = def.enabled(spec);
    const chart = resolveChart(def, spec);
    return {
      name: def.name,
      enabled,
      release: def.release,
      chart: chart.chart,
      repository: chart.repository,
      version: chart.version,
      versionOverridden: chart.overridden,
      ...(enabled ? { namespace: def.namespace(spec) } : {}),
      dependsOn: graph.get(def.name) ?? [],
      crdGroups: def.crdGroups,
      usesCrdGroups: def.usesCrdGroups?.(spec) ?? [],
      admissionWebhooks: enabled && def.admissionWebhooks(spec),
      placement: def.placement,
      purpose: def.purpose,
    };
  });
}
