import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { EnvironmentSpec } from '../../config';
import { PRIORITY_AGENT, PRIORITY_BATCH, PRIORITY_PLATFORM_CRITICAL } from '../names';
import { PlatformChart } from './platform-chart';

/**
 * The platform's PriorityClasses, all below the built-in system-* classes (2e9) so
 * that DNS, CNI and kube-proxy always win, and none global-default (pods without a
 * class keep priority 0):
 * - platform-critical: the control-plane API; preempts agents and batch under pressure.
 * - agent: agent sessions and the warm pool; preempts batch, never the API.
 * - batch: work that waits rather than preempt anything.
 */
export const PRIORITY_CLASSES = [
  {
    name: PRIORITY_PLATFORM_CRITICAL,
    value: 1_000_000,
    preemptionPolicy: 'PreemptLowerPriority',
    description: 'Control-plane API and platform services: scheduled before agents and batch work.',
  },
  {
    name: PRIORITY_AGENT,
    value: 100_000,
    preemptionPolicy: 'PreemptLowerPriority',
    description: 'Agent session pods and the warm pool: may preempt batch work, never the platform.',
  },
  {
    name: PRIORITY_BATCH,
    value: 1_000,
    preemptionPolicy: 'Never',
    description: 'Batch work: waits for capacity instead of preempting anything.',
  },
] as const;

export class PriorityClassesChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'scheduling' });
    for (const pc of PRIORITY_CLASSES) {
      new k8s.KubePriorityClass(this, pc.name, {
        metadata: { name: pc.name },
        value: pc.value,
        globalDefault: false,
        preemptionPolicy: pc.preemptionPolicy,
        description: pc.description,
      });
    }
  }
}
