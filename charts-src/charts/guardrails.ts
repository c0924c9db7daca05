import type { Construct } from 'constructs';
import type { EnvironmentSpec } from '../../config';
import { NamespaceGuardrails } from '../constructs/namespace-guardrails';
import { PlatformChart } from './platform-chart';
import { platformNetwork, type PlatformNetwork } from './platform-flows';

/**
 * Guardrails of every namespace of the environment (platform, add-on system and
 * tenant namespaces): quota, limit range, default-deny, DNS and the platform's flows.
 * Applied right after the namespaces, before anything runs in them.
 */
export class GuardrailsChart extends PlatformChart {
  readonly network: PlatformNetwork;

  constructor(scope: Construct, id: string, spec: EnvironmentSpec, network: PlatformNetwork = platformNetwork(spec)) {
    super(scope, id, { spec, component: 'guardrails' });
    this.network = network;
    for (const ns of spec.namespaces) {
      new NamespaceGuardrails(this, ns.name, {
        name: ns.name,
        quota: ns.quota,
        limitRange: ns.limitRange,
        adminGroups: ns.adminGroups,
        viewGroups: ns.viewGroups,
        flows: network.namespaces.get(ns.name) ?? [],
        allowSameNamespace: ns.kind === 'tenant' || network.sameNamespace.has(ns.name),
      });
    }
  }
}
