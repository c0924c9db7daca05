import { DEDICATED_TAINT, instanceType } from '../../../config';
import { alternativeTypeIssues, resolvePools } from '../../../config/resolve/pools';
import { parsedExample, parsedStaging } from './parsed';

describe('resolvePools', () => {
  it('fills what a pool leaves out: instance from the catalogue, taints from the role, gVisor on agents, initial = min', () => {
    const { pools, issues, warnings } = resolvePools(parsedStaging());
    expect(issues).toEqual([]);
    expect(warnings).toEqual([]);
    const agents = pools.find((p) => p.name === 'agents')!;
    expect(agents).toMatchObject({
      role: 'agents',
      instance: instanceType('hcloud', 'cpx42'),
      gvisor: true,
      initial: agents.min,
      locations: ['fsn1', 'nbg1', 'hel1'],
      autoscaled: true,
    });
    expect(agents.taints).toEqual([{ key: DEDICATED_TAINT, value: 'agents', effect: 'NoSchedule' }]);
    const api = pools.find((p) => p.name === 'api')!;
    expect(api).toMatchObject({ gvisor: false, taints: [] });
    expect(pools.find((p) => p.name === 'control-plane')).toMatchObject({ autoscaled: false });
  });

  it('keeps what a pool sets, and reports per pool in stack-file order', () => {
    const parsed = parsedStaging((raw) => {
      raw.nodePools[1].initial = 5;
      raw.nodePools[1].locations = ['fsn1'];
      raw.nodePools[1].taints = [];
      raw.nodePools[2].capacity = 'spot';
      raw.nodePools[1].capacity = 'spot';
    });
    const { pools, issues } = resolvePools(parsed);
    expect(pools[1]).toMatchObject({ initial: 5, locations: ['fsn1'], taints: [] });
    expect(issues.map((i) => i.path)).toEqual([
      ['nodePools', 1, 'capacity'],
      ['nodePools', 2, 'capacity'],
    ]);
  });

  it('applies the cloud profile: no control-plane pool is required on EKS, spot is allowed', () => {
    const parsed = parsedExample('lobstack-aws', (raw) => {
      raw.nodePools[2].capacity = 'spot';
    });
    const { pools, issues } = resolvePools(parsed);
    expect(issues).toEqual([]);
    expect(pools[2]).toMatchObject({ capacity: 'spot', instance: instanceType('aws', 'c6i.2xlarge') });
  });
});

describe('alternativeTypeIssues', () => {
  it('accepts alternatives of the same size on AWS', () => {
    const parsed = parsedExample('lobstack-aws', (raw) => {
      raw.nodePools[1].alternativeInstanceTypes = ['m5.large', 't3a.large'];
    });
    expect(alternativeTypeIssues(parsed)).toEqual([]);
  });
});
