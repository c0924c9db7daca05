/**
 * The add-on plan of one environment, resolved once: which add-ons are enabled, what
 * each installs after, the install order, where each installs, which CRD groups come
 * from which add-on, and which bring admission webhooks. Plain data (no Pulumi, no
 * functions): the preflight (infra/preflight.ts, run by synth and deploy), the Helm
 * releases (platform-addons.ts), the applied files' dependencies and the catalogue
 * output of `definePlatform` all read this one value.
 *
 * Resolving refuses what no deploy could install: a dependency cycle (graph.ts) and an
 * add-on creating objects of a CRD group no dependency installs (`checkCrdOrdering`).
 */
import type { AddonName, EnvironmentSpec } from '../../config';
import { addonCatalogue, addonGraph, checkCrdOrdering, definitionOf, type CatalogueEntry } from './catalogue';
import { topologicalOrder, type DependencyGraph } from './graph';

export interface AddonPlan {
  /** The enabled add-ons, in catalogue order. */
  readonly enabled: readonly AddonName[];
  /** The enabled add-ons in catalogue order, each with the enabled add-ons it installs after. */
  readonly graph: DependencyGraph<AddonName>;
  /** The enabled add-ons in install order: dependencies first, ties in catalogue order. */
  readonly order: readonly AddonName[];
  /** The namespace each enabled add-on's release installs into. */
  readonly namespaces: Readonly<Partial<Record<AddonName, string>>>;
  /** Every namespace each enabled add-on installs into: its own, then its sub-charts'. */
  readonly installNamespaces: Readonly<Partial<Record<AddonName, readonly string[]>>>;
  /** CRD API group → the enabled add-on that installs it (the first in install order). */
  readonly crdGroups: Readonly<Record<string, AddonName>>;
  /** Enabled add-ons whose admission webhooks act on other workloads' objects, in install order. */
  readonly webhooks: readonly AddonName[];
  /** Every add-on, enabled or not, with its chart, version and dependencies. */
  readonly catalogue: readonly CatalogueEntry[];
}

/**
 * Resolves the plan. Throws (plain Errors, refusals of the input) on a cycle, naming
 * it, and on a CRD group an add-on uses but no dependency installs. `graph` is for
 * tests; it defaults to the environment's own.
 */
export function resolveAddonPlan(
  spec: EnvironmentSpec,
  graph: DependencyGraph<AddonName> = addonGraph(spec),
): AddonPlan {
  const order = topologicalOrder(graph);
  checkCrdOrdering(spec, graph);
  const namespaces: Partial<Record<AddonName, string>> = {};
  const installNamespaces: Partial<Record<AddonName, readonly string[]>> = {};
  const crdGroups: Record<string, AddonName> = {};
  for (const addon of order) {
    const def = definitionOf(addon);
    namespaces[addon] = def.namespace(spec);
    installNamespaces[addon] = [namespaces[addon], ...(def.otherNamespaces?.(spec) ?? [])];
    for (const group of def.crdGroups) crdGroups[group] ??= addon;
  }
  return {
    enabled: [...graph.keys()],
    graph,
    order,
    namespaces,
    installNamespaces,
    crdGroups,
    webhooks: order.filter((a) => definitionOf(a).admissionWebhooks(spec)),
    catalogue: addonCatalogue(spec, graph),
  };
}
