import { bytes, cpuMillis } from '../../../config';
import { falco } from '../../../infra/addons/falco';
import { istiod } from '../../../infra/addons/istiod';
import { kubePrometheusStack } from '../../../infra/addons/kube-prometheus-stack';
import type { AddonContext } from '../../../infra/addons/types';
import type { ClusterResult } from '../../../infra/cluster';
import { AGENT_NODE_DAEMONSETS, MESH_SIDECAR } from '../../../tools/simulate/parameters';
import { stackSpec } from '../../support/environments';

type Requests = { requests: { cpu: string; memory: string } };

/** The simulation's DaemonSet requests per agent node are the ones infra/addons installs. */
describe('DaemonSets on agent nodes', () => {
  const spec = stackSpec('prod');
  // Neither definition reads the cluster for these values.
  const ctx: AddonContext = {
    spec,
    cluster: {} as ClusterResult,
    namespace: 'x',
    namespaces: {},
    checksum: () => 'checksum',
  };
  const same = (r: Requests, d: { cpuMillis: number; memoryBytes: number }) => {
    expect(cpuMillis(r.requests.cpu)).toBe(d.cpuMillis);
    expect(bytes(r.requests.memory)).toBe(d.memoryBytes);
  };

  it('Falco', () => {
    const values = falco.values(ctx) as { resources: Requests };
    same(values.resources, AGENT_NODE_DAEMONSETS.falco);
  });

  it('the node exporter of kube-prometheus-stack', () => {
    const values = kubePrometheusStack.values(ctx) as Record<string, { resources: Requests }>;
    same(values['prometheus-node-exporter']!.resources, AGENT_NODE_DAEMONSETS.kubePrometheusStack);
  });

  it('the mesh sidecar the simulation adds to an API pod is the one istiod injects', () => {
    const values = istiod.values(ctx) as { global: { proxy: { resources: Requests & { limits: { cpu: string } } } } };
    const r = values.global.proxy.resources;
    same(r, { cpuMillis: MESH_SIDECAR.cpuMillis, memoryBytes: MESH_SIDECAR.memoryBytes });
    expect(cpuMillis(r.limits.cpu)).toBe(MESH_SIDECAR.limitsCpuMillis);
  });
});
