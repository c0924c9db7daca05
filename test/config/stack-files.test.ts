import { stackSpec } from '../support/environments';
import { namespaceOf, cpuMillis } from '../../config';

describe('the real stack files', () => {
  it.each(['staging', 'prod'] as const)('%s loads through the validator', (stack) => {
    const spec = stackSpec(stack);
    expect(spec.stack).toBe(stack);
    expect(spec.cloud.provider).toBe('hcloud');
    expect(spec.kubernetes.version).toBe('1.35');
  });

  it('sizes the pools after seed 000 with current Hetzner types', () => {
    const pools = Object.fromEntries(stackSpec('staging').nodePools.map((p) => [p.name, p]));
    expect(pools['control-plane']).toMatchObject({ role: 'control-plane', instanceType: 'cpx32', min: 3, max: 3 });
    expect(pools['api']).toMatchObject({ role: 'api', min: 3 });
    expect(pools['agents']).toMatchObject({ role: 'agents', instanceType: 'cpx42', min: 5, gvisor: true });
    const prod = Object.fromEntries(stackSpec('prod').nodePools.map((p) => [p.name, p]));
    expect(prod['agents']!.max).toBeGreaterThan(pools['agents']!.max);
  });

  it('differs per environment where seed 000 does', () => {
    const staging = stackSpec('staging');
    const prod = stackSpec('prod');
    expect(staging.controlPlaneApi.replicas).toEqual({ min: 3, max: 20 });
    expect(prod.controlPlaneApi.replicas).toEqual({ min: 3, max: 50 });
    expect(staging.controlPlaneApi.resources).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
    expect(prod.controlPlaneApi.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '2', memory: '2Gi' },
    });
    expect(staging.agents!.warmPool!.maxReplicas).toBe(100);
    expect(prod.agents!.warmPool!.maxReplicas).toBe(200);
    expect(staging.addons.vault.replicas).toBe(3);
    expect(prod.addons.vault.replicas).toBe(5);
    expect(staging.protect).toBe(false);
    expect(prod.protect).toBe(true);
  });

  it('keeps the seed 000 agent tiers', () => {
    const tiers = stackSpec('prod').agents!.tiers;
    expect(Object.keys(tiers)).toEqual(['starter', 'standard', 'performance', 'enterprise']);
    expect(tiers['starter']).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1', memory: '2Gi' },
      workspace: '5Gi',
    });
    expect(tiers['enterprise']).toEqual({
      requests: { cpu: '2', memory: '4Gi' },
      limits: { cpu: '8', memory: '16Gi' },
      workspace: '50Gi',
    });
  });

  it('resolves the platform namespaces with the prefix and their Pod Security levels', () => {
    const spec = stackSpec('staging');
    expect(namespaceOf(spec, 'agents').name).toBe('lobstack-agents');
    expect(namespaceOf(spec, 'istio-system').name).toBe('istio-system');
    expect(namespaceOf(spec, 'falco').podSecurity).toBe('privileged');
    expect(namespaceOf(spec, 'falco').exception).toMatch(/privileged/);
    expect(namespaceOf(spec, 'team-research')).toMatchObject({ kind: 'tenant', name: 'lobstack-team-research' });
    expect(cpuMillis(namespaceOf(spec, 'agents').quota.requestsCpu)).toBe(80000);
  });

  it('places add-ons on the control-plane pool and agents on the gVisor pool', () => {
    const spec = stackSpec('staging');
    expect(spec.placement.system.name).toBe('control-plane');
    expect(spec.placement.api.name).toBe('api');
    expect(spec.placement.agents!.name).toBe('agents');
  });
});
