import { GvisorRuntimeClass } from '../../../charts-src/constructs/gvisor-runtime-class';
import { stackSpec } from '../../support/environments';
import { chart, errorOf, type Obj } from './helpers';

const pool = () => stackSpec('staging').placement.agents!;

describe('GvisorRuntimeClass', () => {
  it('defaults: gvisor / runsc, scheduling of the pool, overhead', () => {
    const c = chart();
    new GvisorRuntimeClass(c, 'RuntimeClass', { pool: pool(), overhead: { cpu: '100m', memory: '64Mi' } });
    const [rc] = c.toJson() as Obj[];
    expect(rc).toMatchObject({
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'gvisor' },
      handler: 'runsc',
      overhead: { podFixed: { cpu: '100m', memory: '64Mi' } },
      scheduling: {
        nodeSelector: { 'agent-platform.io/pool': 'agents' },
        tolerations: [{ key: 'agent-platform.io/dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' }],
      },
    });
  });

  it('takes another name and handler', () => {
    const c = chart();
    new GvisorRuntimeClass(c, 'RuntimeClass', {
      pool: pool(),
      overhead: { cpu: '250m', memory: '128Mi' },
      name: 'gvisor-kvm',
      handler: 'runsc-kvm',
    });
    const [rc] = c.toJson() as Obj[];
    expect(rc.metadata.name).toBe('gvisor-kvm');
    expect(rc.handler).toBe('runsc-kvm');
    expect(rc.overhead.podFixed).toEqual({ cpu: '250m', memory: '128Mi' });
  });

  it('refuses a pool without runsc', () => {
    const api = stackSpec('staging').placement.api;
    expect(
      errorOf(
        () => new GvisorRuntimeClass(chart(), 'RuntimeClass', { pool: api, overhead: { cpu: '100m', memory: '64Mi' } }),
      ),
    ).toBe('test/RuntimeClass: pool "api" has gvisor: false; the gVisor RuntimeClass needs a pool with runsc');
  });

  it('refuses an overhead that is not a quantity', () => {
    expect(
      errorOf(
        () =>
          new GvisorRuntimeClass(chart(), 'RuntimeClass', { pool: pool(), overhead: { cpu: 'lots', memory: '64Mi' } }),
      ),
    ).toBe('test/RuntimeClass: overhead (lots, 64Mi) must be a CPU and a byte quantity, e.g. 100m and 64Mi');
  });
});
