import type { Construct } from 'constructs';
import type { EnvironmentSpec } from '../../config';
import { ScheduledJob } from '../constructs/scheduled-job';
import { PlatformChart } from './platform-chart';

/** The environment's scheduled jobs (evaluation runs, batch work), one construct each. */
export class JobsChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'jobs' });
    for (const job of spec.jobs) new ScheduledJob(this, job.name, { spec, job });
  }
}
