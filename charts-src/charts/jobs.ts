import type { Construct } from 'constructs';
import { namespaceOf, poolFor, schedulingFor, type EnvironmentSpec } from '../../config';
import { ScheduledJob } from '../constructs/scheduled-job';
import { PlatformChart } from './platform-chart';

/** The environment's scheduled jobs (evaluation runs, batch work), one construct each. */
export class JobsChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'jobs' });
    for (const j of spec.jobs) {
      new ScheduledJob(this, j.name, {
        name: j.name,
        namespace: namespaceOf(spec, j.namespace).name,
        image: j.image,
        schedule: j.schedule,
        resources: j.resources,
        command: j.command,
        runAsUser: j.runAsUser,
        scratchPaths: j.scratchPaths,
        backoffLimit: j.backoffLimit,
        activeDeadlineSeconds: j.activeDeadlineSeconds,
        ...(j.vpa ? { vpa: j.vpa } : {}),
        gpus: j.gpus,
        priorityClassName: j.priorityClass,
        env: j.env,
        secrets: j.secrets,
        // An explicit pool, else the GPU pool for GPU jobs or the batch pool, else the API pool.
        scheduling: schedulingFor(poolFor(spec, j.pool, j.gpus > 0 ? ['gpu'] : ['batch'])),
      });
    }
  }
}
