import { configErrorOf, rawStack, parseRaw } from '../support/environments';
import { parseEnvironment } from '../../config';

describe('environment validation errors', () => {
  it('reports every problem of a file with three mistakes, each with its path and value', () => {
    const raw = rawStack();
    raw.nodePools[2].max = 1; // below min 5
    raw.cloud.provider = 'hetzner';
    raw.controlPlaneApi.replicaz = { min: 1 };
    const message = configErrorOf(raw);
    expect(message).toContain('Pulumi.test.yaml: 3 problems:');
    expect(message).toContain('nodePools[2].max (1) must be >= min (5)');
    expect(message).toContain('cloud.provider ("hetzner") must be one of: hcloud, aws');
    expect(message).toMatch(/controlPlaneApi\.replicaz unknown key \(allowed: image, .*, replicas, .*\)/);
    expect(message).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('names a missing required field', () => {
    const raw = rawStack();
    delete raw.controlPlaneApi.image;
    expect(configErrorOf(raw)).toContain('controlPlaneApi.image is required (string)');
  });

  it('refuses a value of the wrong type with what it got', () => {
    const raw = rawStack();
    raw.nodePools[0].min = '3';
    expect(configErrorOf(raw)).toContain('nodePools[0].min ("3") must be a number, got string');
  });

  it('refuses invalid quantities', () => {
    const raw = rawStack();
    raw.controlPlaneApi.resources.requests.cpu = '250mc';
    expect(configErrorOf(raw)).toContain(
      'controlPlaneApi.resources.requests.cpu ("250mc") must be a CPU quantity such as 250m, 1 or 1.5',
    );
  });

  it('refuses limits below requests', () => {
    const raw = rawStack();
    raw.controlPlaneApi.resources.limits.memory = '256Mi';
    expect(configErrorOf(raw)).toContain(
      'controlPlaneApi.resources.limits.memory ("256Mi") must be >= requests.memory (512Mi)',
    );
  });

  it('refuses floating image tags', () => {
    const raw = rawStack();
    raw.controlPlaneApi.image = 'ghcr.io/lobstack/api:latest';
    expect(configErrorOf(raw)).toContain(
      'controlPlaneApi.image ("ghcr.io/lobstack/api:latest") must not use the floating tag "latest"',
    );
    raw.controlPlaneApi.image = 'ghcr.io/lobstack/api';
    expect(configErrorOf(raw)).toContain('must be pinned to a tag or digest');
  });

  it('refuses a namespace prefix that is not a DNS label', () => {
    const raw = rawStack();
    raw.namespacePrefix = 'Lob_Stack';
    expect(configErrorOf(raw)).toContain(
      'namespacePrefix ("Lob_Stack") must be a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit',
    );
  });

  it('refuses unknown instance types and spot capacity on Hetzner', () => {
    const raw = rawStack();
    raw.nodePools[1].instanceType = 'cpx99';
    raw.nodePools[1].capacity = 'spot';
    const message = configErrorOf(raw);
    expect(message).toContain('nodePools[1].instanceType ("cpx99") is not a known hcloud instance type');
    expect(message).toContain('nodePools[1].capacity ("spot") must be "on-demand" on hcloud');
  });

  it('warns about deprecated Hetzner types and names the replacement', () => {
    const raw = rawStack();
    raw.nodePools[1].instanceType = 'cpx21';
    const { warnings } = parseEnvironment(raw, { stack: 'test', source: 'test' });
    expect(warnings).toContain(
      'nodePools[1].instanceType: hcloud type cpx21 is deprecated; use cpx22 (its current equivalent)',
    );
  });

  it('requires an odd, fixed control plane on hcloud', () => {
    const raw = rawStack();
    raw.nodePools[0].min = 2;
    raw.nodePools[0].max = 2;
    expect(configErrorOf(raw)).toContain(
      'nodePools[0].max (2) must equal min and be 1, 3 or 5: etcd needs a fixed, odd number of servers (min is 2)',
    );
  });

  it('refuses duplicate pool names and unknown pool references', () => {
    const raw = rawStack();
    raw.nodePools[1].name = 'agents';
    raw.controlPlaneApi.pool = 'apii';
    const message = configErrorOf(raw);
    expect(message).toContain('nodePools[2].name ("agents") duplicates nodePools[1].name');
    expect(message).toContain('controlPlaneApi.pool ("apii") names no pool in nodePools');
  });

  it('refuses a warm pool or session cap on an undefined tier', () => {
    const raw = rawStack();
    raw.agents.warmPool.tier = 'gold';
    raw.agents.sessions.platinum = 3;
    const message = configErrorOf(raw);
    expect(message).toContain(
      'agents.warmPool.tier ("gold") is not a tier defined in agents.tiers (starter, standard, performance, enterprise)',
    );
    expect(message).toContain('agents.sessions.platinum is not a tier defined in agents.tiers');
  });

  it('refuses an agent tier with limits below requests or an empty workspace', () => {
    const raw = rawStack();
    raw.agents.tiers.starter.limits.cpu = '100m';
    raw.agents.tiers.standard.workspace = '0Gi';
    const message = configErrorOf(raw);
    expect(message).toContain('agents.tiers.starter.limits.cpu ("100m") must be >= requests.cpu (250m)');
    expect(message).toContain('agents.tiers.standard.workspace ("0Gi") must be greater than 0');
  });

  it('refuses a PDB at the autoscaler floor', () => {
    const raw = rawStack();
    raw.controlPlaneApi.pdbMinAvailable = 3;
    expect(configErrorOf(raw)).toContain(
      'controlPlaneApi.pdbMinAvailable (3) must be < replicas.min (3): a PDB at the autoscaler floor blocks every node drain',
    );
  });

  it('refuses Hetzner add-ons on AWS and a control-plane pool on EKS', () => {
    const raw = rawStack();
    raw.cloud = { provider: 'aws', region: 'eu-west-1', locations: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] };
    raw.nodePools = [
      { name: 'system', role: 'control-plane', instanceType: 'm6i.large', min: 3, max: 3 },
      { name: 'api', role: 'api', instanceType: 'm6i.xlarge', min: 3, max: 6 },
      { name: 'agents', role: 'agents', instanceType: 'm6i.2xlarge', min: 3, max: 10 },
    ];
    raw.addons = { hcloudCsi: { enabled: true } };
    const message = configErrorOf(raw);
    expect(message).toContain('nodePools[0].role ("control-plane") cannot be "control-plane" on aws');
    expect(message).toContain('addons.hcloudCsi.enabled (true) must be false on aws');
  });

  it('refuses limit ranges whose default exceeds the max', () => {
    const raw = rawStack();
    raw.guardrails.limitRange.container.default.cpu = '8';
    expect(configErrorOf(raw)).toContain(
      'guardrails.limitRange.container.max.cpu ("4") must be >= container.default.cpu (8)',
    );
  });

  it('refuses a tenant whose namespace collides with a platform namespace', () => {
    const raw = rawStack();
    raw.tenants.push({ name: 'agents' });
    expect(configErrorOf(raw)).toContain(
      'tenants[2].name ("agents") gives namespace "lobstack-agents", already used by the platform namespace "agents"',
    );
  });

  it('fills defaults once', () => {
    const raw = rawStack();
    delete raw.controlPlaneApi.autoscaling;
    const spec = parseRaw(raw);
    expect(spec.controlPlaneApi.autoscaling.cpuUtilization).toBe(70);
    expect(spec.controlPlaneApi.autoscaling.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
    expect(spec.controlPlaneApi.probes.startup).toMatchObject({ periodSeconds: 5, failureThreshold: 12 });
    expect(spec.addons.metricsServer.source).toBe('distribution');
    expect(spec.addons.hcloudCcm.enabled).toBe(true);
  });
});
