import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { PLATFORM_PRIORITY_CLASSES, type EnvironmentSpec } from '../../config';
import { PlatformChart } from './platform-chart';

/** The platform's PriorityClasses (config/workloads.ts) and the environment's own. */
export class PriorityClassesChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'scheduling' });
    for (const pc of [...PLATFORM_PRIORITY_CLASSES, ...spec.priorityClasses]) {
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
