/** The schema's adapters of config/rules: each rule's message, path and value as a stack file reports it. */
import { configErrorOf, parseRaw, rawStack } from '../../support/environments';

describe('the schema adapts config/rules', () => {
  it('quota: limitsCpu / limitsMemory below their requests', () => {
    const raw = rawStack();
    raw.guardrails.quota.limitsCpu = '10';
    raw.guardrails.quota.limitsMemory = '40G';
    const message = configErrorOf(raw);
    expect(message).toContain('guardrails.quota.limitsCpu ("10") must be >= requestsCpu (20)');
    expect(message).toContain('guardrails.quota.limitsMemory ("40G") must be >= requestsMemory (40Gi)');
  });

  it('limit range: every pair out of order is listed at once (a min above everything)', () => {
    const raw = rawStack();
    raw.guardrails.limitRange.container.min.cpu = '5';
    const message = configErrorOf(raw);
    expect(message).toContain(
      'guardrails.limitRange.container.defaultRequest.cpu ("100m") must be >= container.min.cpu (5)',
    );
    expect(message).toContain('guardrails.limitRange.container.default.cpu ("500m") must be >= container.min.cpu (5)');
    expect(message).toContain('guardrails.limitRange.container.max.cpu ("4") must be >= container.min.cpu (5)');
  });

  it('limit range: a PersistentVolumeClaim max below its min', () => {
    const raw = rawStack();
    raw.guardrails.limitRange.persistentVolumeClaim = { min: '10Gi', max: '1Gi' };
    expect(configErrorOf(raw)).toContain(
      'guardrails.limitRange.persistentVolumeClaim.max ("1Gi") must be >= persistentVolumeClaim.min (10Gi)',
    );
  });

  it('pdbMinAvailable defaults to 2 and must stay below replicas.min', () => {
    const raw = rawStack();
    delete raw.controlPlaneApi.pdbMinAvailable;
    expect(parseRaw(raw).controlPlaneApi.pdbMinAvailable).toBe(2);
    raw.controlPlaneApi.replicas = { min: 2, max: 4 };
    expect(configErrorOf(raw)).toContain(
      'controlPlaneApi.pdbMinAvailable (2) must be < replicas.min (2): a PDB at the autoscaler floor blocks every node drain',
    );
  });
});
