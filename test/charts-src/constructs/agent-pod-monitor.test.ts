import { AgentPodMonitor } from '../../../charts-src/constructs/agent-pod-monitor';
import { chart, errorOf, type Obj } from './helpers';

const render = (extra: object = {}): Obj => {
  const c = chart();
  new AgentPodMonitor(c, 'PodMonitor', { namespace: 'agents', portName: 'http', ...extra });
  return (c.toJson() as Obj[])[0];
};

describe('AgentPodMonitor', () => {
  it('defaults: agent-pods, every agent pod of the namespace, /metrics every 30s, tier label kept', () => {
    expect(render()).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'agent-pods', namespace: 'agents' },
      spec: {
        selector: { matchLabels: { 'agent-platform.io/agent': 'true' } },
        namespaceSelector: { matchNames: ['agents'] },
        podTargetLabels: ['agent-platform.io/tier'],
        podMetricsEndpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
      },
    });
  });

  it('options: name, interval, path', () => {
    const pm = render({ name: 'agents', interval: '15s', path: '/prom', portName: 'metrics' });
    expect(pm.metadata.name).toBe('agents');
    expect(pm.spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/prom', interval: '15s' }]);
  });

  it('refuses an interval that is not a Prometheus duration', () => {
    expect(errorOf(() => render({ interval: 'often' }))).toBe(
      'test/PodMonitor: interval (often) must be a Prometheus duration such as 30s',
    );
  });
});
