import type { Construct } from 'constructs';
import { namespaceOf, poolFor, schedulingFor, type EnvironmentSpec } from '../../config';
import { StatefulService } from '../constructs/stateful-service';
import { PlatformChart } from './platform-chart';
import { workloadPeer } from './workloads';

/** The environment's stateful services (databases, caches), one construct each. */
export class DataServicesChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'data-services' });
    for (const s of spec.statefulServices) {
      new StatefulService(this, s.name, {
        name: s.name,
        namespace: namespaceOf(spec, s.namespace).name,
        image: s.image,
        port: s.port,
        resources: s.resources,
        storage: s.storage,
        clients: s.clients.map((c) => workloadPeer(spec, c)),
        replicas: s.replicas,
        runAsUser: s.runAsUser,
        scratchPaths: s.scratchPaths,
        args: s.args,
        env: s.env,
        secrets: s.secrets,
        // An explicit pool, else the data pool, else the API pool.
        scheduling: schedulingFor(poolFor(spec, s.pool, ['data'])),
      });
    }
  }
}
