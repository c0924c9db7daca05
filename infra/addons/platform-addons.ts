/**
 * The cluster add-ons of one environment as a Pulumi component: one Helm release per
 * enabled add-on of the catalogue, installed in dependency order with explicit
 * `dependsOn` (never file or declaration order), on the cluster's explicit provider.
 * Namespaces are not created here (`createNamespace: false`): they come from the
 * reviewed namespaces.yaml, which the caller applies first and passes as `after`.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { AddonName, EnvironmentSpec } from '../../config';
import type { ClusterResult } from '../cluster';
import { definitionOf, resolveChart, type CatalogueEntry } from './catalogue';
import type { DependencyGraph } from './graph';
import { resolveAddonPlan, type AddonPlan } from './plan';
import { envChecksum } from './config-checksum';
import type { AddonContext, SecretArgs } from './types';

export interface PlatformAddonsArgs {
  readonly spec: EnvironmentSpec;
  readonly cluster: ClusterResult;
  /**
   * The environment's add-on plan (addons/plan.ts), as the preflight resolved it.
   * @default - resolved from `spec`
   */
  readonly plan?: AddonPlan;
  /** Resources every release waits for besides the cluster (the namespaces group). */
  readonly after?: readonly pulumi.Resource[];
  /**
   * Seconds Helm waits for a release to become ready.
   * @default 900
   */
  readonly timeoutSeconds?: number;
}

/** An Opaque Secret holding `stringData` as a Pulumi secret (never in plain text in the state). */
function opaqueSecret(args: SecretArgs, opts: pulumi.CustomResourceOptions): k8s.core.v1.Secret {
  return new k8s.core.v1.Secret(
    args.name,
    {
      metadata: { ...args.metadata },
      type: 'Opaque',
      stringData: pulumi.secret(pulumi.output(args.stringData as Record<string, pulumi.Input<string>>)),
    },
    opts,
  );
}

export class PlatformAddons extends pulumi.ComponentResource {
  /** The add-on plan the releases follow. */
  readonly plan: AddonPlan;
  /** Release per enabled add-on. */
  readonly releases: Readonly<Partial<Record<AddonName, k8s.helm.v3.Release>>>;
  /** Install order (dependencies first). */
  readonly order: readonly AddonName[];
  readonly graph: DependencyGraph<AddonName>;
  readonly catalogue: readonly CatalogueEntry[];
  /** What each release was declared to wait for (for the offline plan and tests). */
  readonly waitsFor: Readonly<Partial<Record<AddonName, readonly pulumi.Resource[]>>>;

  constructor(name: string, args: PlatformAddonsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('agent-platform:addons:PlatformAddons', name, {}, opts);
    const { spec, cluster } = args;
    const timeout = args.timeoutSeconds ?? 900;
    this.plan = args.plan ?? resolveAddonPlan(spec);
    this.graph = this.plan.graph;
    this.order = this.plan.order;
    this.catalogue = this.plan.catalogue;
    const namespaces = this.plan.namespaces;

    const releases: Partial<Record<AddonName, k8s.helm.v3.Release>> = {};
    const waitsFor: Partial<Record<AddonName, pulumi.Resource[]>> = {};
    const base = [...cluster.readyResources, ...(args.after ?? [])];
    for (const addon of this.order) {
      const def = definitionOf(addon);
      const chart = resolveChart(def, spec);
      const ctx: AddonContext = { spec, cluster, namespace: namespaces[addon]!, namespaces, checksum: envChecksum };
      const childName = `${name}-${def.release}`;
      const childOpts = { parent: this, provider: cluster.provider };
      const prerequisiteOpts = { ...childOpts, dependsOn: base };
      const prerequisites =
        def.prerequisites?.({
          ctx,
          name: childName,
          opts: prerequisiteOpts,
          secret: (secret) => opaqueSecret(secret, prerequisiteOpts),
        }) ?? [];
      const dependencies = (this.graph.get(addon) ?? []).map((dep) => releases[dep]!);
      const dependsOn = [...base, ...prerequisites, ...dependencies];
      waitsFor[addon] = dependsOn;
      releases[addon] = new k8s.helm.v3.Release(
        childName,
        {
          name: def.release,
          chart: chart.chart,
          version: chart.version,
          repositoryOpts: { repo: chart.repository },
          namespace: ctx.namespace,
          createNamespace: false,
          values: def.values(ctx),
          // CRDs ship with the chart and install before its other objects.
          skipCrds: false,
          atomic: true,
          cleanupOnFail: true,
          timeout,
          maxHistory: 10,
        },
        { ...childOpts, dependsOn },
      );
    }
    this.releases = releases;
    this.waitsFor = waitsFor;
    this.registerOutputs({
      addons: this.order.map((a) => ({ name: a, version: resolveChart(definitionOf(a), spec).version })),
    });
  }

  /** The enabled add-on that installs the CRDs of an API group, if any. */
  providerOf(group: string): AddonName | undefined {
    return Object.hasOwn(this.plan.crdGroups, group) ? this.plan.crdGroups[group] : undefined;
  }

  /** Releases whose admission webhooks act on other workloads' objects. */
  webhookReleases(): k8s.helm.v3.Release[] {
    return this.plan.webhooks.map((a) => this.releases[a]!);
  }
}
