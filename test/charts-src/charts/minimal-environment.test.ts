import { buildApp } from '../../../charts-src/app';
import { Chart } from 'cdk8s';
import { parseRaw, rawStack } from '../../support/environments';
import type { Obj } from '../support/objects';

/** An environment with every optional add-on off and no agents: only what the API needs. */
function minimal() {
  const raw = rawStack('staging');
  delete raw.agents;
  delete raw.namespaces.agents;
  delete raw.backup;
  raw.tenants = [];
  delete raw.controlPlaneApi.autoscaling.requestsPerSecond;
  delete raw.logs;
  delete raw.backup;
  for (const addon of [
    'vault',
    'kubePrometheusStack',
    'prometheusAdapter',
    'falco',
    'istio',
    'vpa',
    'keda',
    'certManager',
  ]) {
    raw.addons[addon] = { enabled: false };
  }
  return parseRaw(raw);
}

describe('a minimal environment', () => {
  const app = buildApp(minimal());
  const charts = app.node.children.filter((c): c is Chart => c instanceof Chart);
  const objects: Obj[] = charts.flatMap((c) => c.toJson());

  it('renders no mesh or monitoring chart and no CRD objects of disabled add-ons', () => {
    // `upgrades`: a k3s cluster on Hetzner always upgrades in place (system-upgrade-controller Plans).
    expect(charts.map((c) => c.node.id)).toEqual([
      'namespaces',
      'priority-classes',
      'guardrails',
      'admission',
      'control-plane',
      'upgrades',
    ]);
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of ['ServiceMonitor', 'VerticalPodAutoscaler', 'PrometheusRule', 'PeerAuthentication', 'Gateway']) {
      expect(kinds.has(kind)).toBe(false);
    }
  });

  it('has the control-plane namespace (and system-upgrade on Hetzner) only, with default-deny and DNS', () => {
    const policies = objects
      .filter((o) => o.kind === 'NetworkPolicy')
      .map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(policies).toEqual([
      'lobstack-control-plane/default-deny',
      'lobstack-control-plane/allow-dns',
      'system-upgrade/default-deny',
      'system-upgrade/allow-dns',
      'system-upgrade/allow-kube-apiserver',
      'lobstack-control-plane/api-allow-database',
    ]);
  });

  it('without agents the API orchestrates nothing: no API token, no Kubernetes API egress', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api');
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(objects.find((o) => o.metadata.name === 'api-allow-kube-apiserver')).toBeUndefined();
  });

  it('the API autoscales on CPU and memory only and nobody may call it yet (no gateway, no agents)', () => {
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics.map((m: Obj) => m.resource?.name ?? m.type)).toEqual(['cpu', 'memory']);
    expect(objects.find((o) => o.metadata.name === 'api-allow-ingress')).toBeUndefined();
  });
});
