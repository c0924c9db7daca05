import { Testing } from 'cdk8s';
import { PriorityClassesChart } from '../../../charts-src/charts/priority-classes';
import { stackSpec } from '../../support/environments';
import { find, type Obj } from '../support/objects';

describe('PriorityClasses', () => {
  const objects: Obj[] = new PriorityClassesChart(Testing.app(), 'priority-classes', stackSpec('prod')).toJson();

  it('platform-critical > agent > batch, all below system classes, none global default', () => {
    const pc = (name: string) => find(objects, 'PriorityClass', name);
    expect(pc('platform-critical')).toMatchObject({
      value: 1_000_000,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    expect(pc('agent')).toMatchObject({
      value: 100_000,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    expect(pc('batch')).toMatchObject({ value: 1_000, globalDefault: false, preemptionPolicy: 'Never' });
    for (const o of objects) expect(o.value).toBeLessThan(1_000_000_000);
  });
});
