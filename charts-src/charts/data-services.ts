import type { Construct } from 'constructs';
import type { EnvironmentSpec } from '../../config';
import { StatefulService } from '../constructs/stateful-service';
import { PlatformChart } from './platform-chart';

/** The environment's stateful services (databases, caches), one construct each. */
export class DataServicesChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'data-services' });
    for (const service of spec.statefulServices) new StatefulService(this, service.name, { spec, service });
  }
}
