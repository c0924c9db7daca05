import type { Construct } from 'constructs';
import { PlatformNamespace } from '../constructs/platform-namespace';
import { PlatformChart } from './platform-chart';
import type { EnvironmentSpec } from '../../config';

/**
 * Every namespace of the environment (platform, add-on and tenant). Applied
 * first: the add-ons install into these namespaces, everything else lives in them.
 */
export class NamespacesChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'namespaces' });
    for (const ns of spec.namespaces) {
      new PlatformNamespace(this, ns.name, {
        name: ns.name,
        podSecurity: ns.podSecurity,
        kubernetesVersion: spec.kubernetes.version,
        purpose: ns.purpose,
        mesh: ns.mesh,
        ...(ns.exception ? { podSecurityException: ns.exception } : {}),
      });
    }
  }
}
