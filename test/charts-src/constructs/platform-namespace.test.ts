import { PlatformNamespace } from '../../../charts-src/constructs/platform-namespace';
import { find, objectsOf, testChart } from '../support/objects';

describe('PlatformNamespace with only its required props', () => {
  const chart = testChart();
  const ns = new PlatformNamespace(chart, 'Ns', {
    name: 'acme-agents',
    podSecurity: 'restricted',
    kubernetesVersion: '1.35',
    purpose: 'agent sessions',
  });
  const object = find(objectsOf(chart), 'Namespace', 'acme-agents');

  it('pins the PSS enforce, audit and warn labels to the level and the minor, outside the mesh', () => {
    expect(ns.name).toBe('acme-agents');
    expect(object.metadata.labels).toEqual({
      'kubernetes.io/metadata.name': 'acme-agents',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.35',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.35',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.35',
      'istio-injection': 'disabled',
    });
  });

  it('states its purpose and no pod security exception', () => {
    expect(object.metadata.annotations).toEqual({ 'agent-platform.io/purpose': 'agent sessions' });
  });
});

describe('PlatformNamespace options', () => {
  it('mesh: true enables sidecar injection; podSecurityException is written beside the purpose', () => {
    const chart = testChart();
    new PlatformNamespace(chart, 'Ns', {
      name: 'acme-monitoring',
      podSecurity: 'privileged',
      kubernetesVersion: '1.36',
      purpose: 'metrics',
      mesh: true,
      podSecurityException: 'node-exporter reads the host',
    });
    const object = find(objectsOf(chart), 'Namespace', 'acme-monitoring');
    expect(object.metadata.labels['istio-injection']).toBe('enabled');
    expect(object.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(object.metadata.labels['pod-security.kubernetes.io/warn-version']).toBe('v1.36');
    expect(object.metadata.annotations).toEqual({
      'agent-platform.io/purpose': 'metrics',
      'agent-platform.io/pod-security-exception': 'node-exporter reads the host',
    });
  });
});
