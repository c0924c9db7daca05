import { resolvePools } from '../../../config/resolve/pools';
import { pickPool, resolvePlacement } from '../../../config/resolve/placement';
import { parsedExample, parsedStaging } from './parsed';

describe('resolvePlacement', () => {
  it('places by preferred role when no pool is named: add-ons on the k3s servers, the API on the api pool', () => {
    const parsed = parsedStaging();
    const placement = resolvePlacement(parsed, resolvePools(parsed).pools);
    expect(placement.issues).toEqual([]);
    expect(placement.system?.name).toBe('control-plane');
    expect(placement.api?.name).toBe('api');
    expect(placement.agents?.name).toBe('agents');
  });

  it('prefers a system pool over the control plane for add-ons, and has no agents placement without agents', () => {
    const parsed = parsedExample('support-copilot');
    const placement = resolvePlacement(parsed, resolvePools(parsed).pools);
    expect(placement.system?.name).toBe('system');
    expect(placement.api?.name).toBe('general');
    expect(placement).not.toHaveProperty('agents');
  });

  it('takes the pool a section names over the role order', () => {
    const parsed = parsedStaging((raw) => {
      raw.controlPlaneApi.pool = 'control-plane';
    });
    expect(resolvePlacement(parsed, resolvePools(parsed).pools).api?.name).toBe('control-plane');
  });
});

describe('pickPool', () => {
  it('falls back through the roles in order', () => {
    const { pools } = resolvePools(parsedExample('ai-workflow'));
    // ai-workflow: application (role api), data (role data), infrastructure (role system); no agents pool.
    expect(pickPool(pools, ['x'], undefined, 'api').pool?.name).toBe('application');
    expect(pickPool(pools, ['x'], undefined, 'system').pool?.name).toBe('infrastructure');
    expect(pickPool(pools, ['x'], undefined, 'agents')).toEqual({
      issues: [
        {
          path: ['x'],
          message: 'is required: no pool with role "agents" for agent pods',
          input: undefined,
          hasInput: false,
        },
      ],
    });
  });
});
