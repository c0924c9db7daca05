import { gate, platform, summarize } from './fixtures';
import { stackSpec } from '../support/environments';

describe('the compliant platform fixture', () => {
  it.each(['staging', 'prod'] as const)('passes every rule, cross-layer included (%s)', (stack) => {
    const spec = stackSpec(stack);
    const report = gate(platform(spec), { spec });
    expect(summarize(report)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.kubernetesVersion).toBe(spec.kubernetes.version);
  });
});
