import { AgentQuotaBudget, type AgentQuotaBudgetProps } from '../../../charts-src/constructs/agent-quota-budget';
import { namespaceOf, type Quota } from '../../../config';
import { stackSpec } from '../../support/environments';
import { chart, errorOf } from './helpers';

const tiers = {
  small: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' }, workspace: '1Gi' },
  large: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' }, workspace: '1Gi' },
};
const agentsNs = namespaceOf(stackSpec('staging'), 'agents');
const quota = (over: Partial<Quota> = {}): Quota => ({
  ...agentsNs.quota,
  requestsCpu: '10',
  requestsMemory: '20Gi',
  limitsCpu: '20',
  limitsMemory: '40Gi',
  pods: 30,
  services: 10,
  ...over,
});
const props = (over: Partial<AgentQuotaBudgetProps> = {}): AgentQuotaBudgetProps => ({
  namespace: agentsNs.name,
  quota: quota(),
  limitRange: agentsNs.limitRange,
  tiers,
  sessions: { small: 4, large: 2 },
  warmPool: { tier: 'small', maxReplicas: 10 },
  overhead: { cpu: '100m', memory: '64Mi' },
  ...over,
});

describe('AgentQuotaBudget', () => {
  it('admits the warm pool at its max plus every session, counting the pod overhead', () => {
    const budget = new AgentQuotaBudget(chart(), 'Quota', props());
    const byKey = Object.fromEntries(budget.lines.map((l) => [l.key, l]));
    // 10 × 350m + 4 × 350m + 2 × 1100m = 7.1 cores
    expect(byKey['requests.cpu']).toMatchObject({ demand: 7100, quota: 10000 });
    expect(byKey['requests.cpu']!.arithmetic).toBe(
      'requests.cpu: warm pool small 10 × (250m + 100m overhead) + sessions small 4 × (250m + 100m overhead) + large 2 × (1 + 100m overhead) = 7.1 <= quota 10',
    );
    expect(byKey['limits.memory']!.demand).toBe(14 * (1024 + 64) * 2 ** 20 + 2 * (4096 + 64) * 2 ** 20);
    expect(byKey['pods']).toMatchObject({ demand: 16, quota: 30 });
    expect(byKey['services']).toMatchObject({ demand: 6, quota: 10 });
    expect(chart().toJson()).toEqual([]);
  });

  it('counts an init container above the tier as max(tier, init)', () => {
    const budget = new AgentQuotaBudget(
      chart(),
      'Quota',
      props({
        initContainer: {
          name: 'vault-agent-init',
          resources: { requests: { cpu: '300m', memory: '64Mi' }, limits: { cpu: '300m', memory: '128Mi' } },
        },
      }),
    );
    const line = budget.lines.find((l) => l.key === 'requests.cpu')!;
    expect(line.arithmetic).toContain('10 × (max(250m, vault-agent-init 300m) + 100m overhead)');
    expect(line.demand).toBe(14 * 400 + 2 * 1100);
  });

  it('fails with the arithmetic of every exceeded resource', () => {
    const message = errorOf(
      () => new AgentQuotaBudget(chart(), 'Quota', props({ quota: quota({ requestsCpu: '5', pods: 12 }) })),
    );
    expect(message).toBe(
      [
        'test/Quota: the ResourceQuota of namespace lobstack-agents cannot admit the warm pool at its KEDA max plus every session agents.sessions allows:',
        '  requests.cpu: warm pool small 10 × (250m + 100m overhead) + sessions small 4 × (250m + 100m overhead) + large 2 × (1 + 100m overhead) = 7.1 > quota 5',
        '  pods: warm pool 10 + sessions small 4 + large 2 = 16 > quota 12',
        'Raise namespaces.agents.quota, or lower agents.warmPool.maxReplicas or agents.sessions.',
      ].join('\n'),
    );
  });

  it('fails when sessions need more Services than the quota allows', () => {
    expect(errorOf(() => new AgentQuotaBudget(chart(), 'Quota', props({ quota: quota({ services: 5 }) })))).toContain(
      'services: one ClusterIP per session, 6 > quota 5',
    );
  });

  it('refuses an unknown tier', () => {
    expect(
      errorOf(() => new AgentQuotaBudget(chart(), 'Quota', props({ warmPool: { tier: 'huge', maxReplicas: 1 } }))),
    ).toBe('test/Quota: warmPool.tier names tier "huge", which is not defined (tiers: small, large)');
  });

  it('refuses a tier outside the LimitRange', () => {
    const big = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '10', memory: '1Gi' }, workspace: '1Gi' };
    const message = errorOf(
      () =>
        new AgentQuotaBudget(chart(), 'Quota', props({ tiers: { ...tiers, big }, quota: quota({ limitsCpu: '100' }) })),
    );
    expect(message).toContain(
      'test/Quota: agent pods would be rejected by the LimitRange of namespace lobstack-agents:',
    );
    expect(message).toContain('tier big: limits.cpu (10) is above the LimitRange container max (8)');
    expect(message).toContain('tier big: pod limits.cpu (10) is above the LimitRange pod max (9)');
  });
});
