import { resolveAddons } from '../../../config/resolve/addons';
import { resolveNamespaces } from '../../../config/resolve/namespaces';
import { resolvePools } from '../../../config/resolve/pools';
import { agentTierIssues, priorityClassNames, workloadIssues } from '../../../config/resolve/workloads';
import { parsedExample, parsedStaging } from './parsed';

describe('workload references', () => {
  it('lists the built-in PriorityClasses, then the environment’s', () => {
    expect(priorityClassNames(parsedExample('support-copilot'))).toEqual([
      'platform-critical',
      'agent',
      'batch',
      'inference-critical',
    ]);
  });

  it('finds nothing wrong in an environment whose workloads refer to what exists', () => {
    const parsed = parsedExample('support-copilot');
    const { namespaces } = resolveNamespaces(parsed, resolveAddons(parsed).addons);
    expect(workloadIssues(parsed, namespaces, resolvePools(parsed).pools)).toEqual({ issues: [], warnings: [] });
  });

  it('places a GPU workload without a pool on the first gpu-role pool', () => {
    const parsed = parsedExample('support-copilot', (raw) => {
      delete raw.services[1].pool;
    });
    const { namespaces } = resolveNamespaces(parsed, resolveAddons(parsed).addons);
    expect(workloadIssues(parsed, namespaces, resolvePools(parsed).pools).issues).toEqual([]);
  });

  it('accepts tiers that agents.tiers defines', () => {
    expect(agentTierIssues(parsedStaging())).toEqual([]);
    expect(agentTierIssues(parsedExample('support-copilot'))).toEqual([]);
  });
});
