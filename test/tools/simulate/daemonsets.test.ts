import { bytes, cpuMillis } from '../../../config';
import { nodeAgentsOn } from '../../../infra/addons/capacity';
import { falco, falcoGvisor } from '../../../infra/addons/falco';
import { istiod } from '../../../infra/addons/istiod';
import { kubePrometheusStack } from '../../../infra/addons/kube-prometheus-stack';
import type { AddonContext } from '../../../infra/addons/types';
import type { ClusterResult } from '../../../infra/cluster';
import { buildModel } from '../../../tools/simulate/model';
import { MESH_SIDECAR } from '../../../tools/simulate/parameters';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';

type Requests = { requests: { cpu: string; memory: string } };
const MI = 2 ** 20;

/**
 * The simulation takes off an agent node exactly the DaemonSet pods the capacity check
 * counts there (infra/addons/capacity.ts `nodeAgentsOn`), and those are the requests the
 * releases' values set.
 */
describe('DaemonSets on agent nodes', () => {
  const spec = stackSpec('prod');
  const agents = spec.placement.agents!;
  // None of these definitions reads the cluster for these values.
  const ctx: AddonContext = {
    spec,
    cluster: {} as ClusterResult,
    namespace: 'x',
    namespaces: {},
    checksum: () => 'checksum',
  };
  const requests = (r: Requests) => ({ cpuMillis: cpuMillis(r.requests.cpu), memoryBytes: bytes(r.requests.memory) });

  it('are the node exporter, both Falco releases (the agent pool runs gVisor) and Fluent Bit', () => {
    expect(agents.gvisor).toBe(true);
    expect(nodeAgentsOn(spec, agents)).toEqual([
      { name: 'kube-prometheus-stack/node-exporter', cpuMillis: 50, memoryBytes: 64 * MI },
      { name: 'falco/falco', cpuMillis: 100, memoryBytes: 512 * MI },
      { name: 'falco-gvisor/falco', cpuMillis: 100, memoryBytes: 512 * MI },
      { name: 'fluent-bit/fluent-bit', cpuMillis: 50, memoryBytes: 64 * MI },
    ]);
  });

  it('with the requests the releases set', () => {
    type WithResources = { resources: Requests };
    const exporter = kubePrometheusStack.values(ctx) as Record<string, WithResources>;
    expect(requests(exporter['prometheus-node-exporter']!.resources)).toEqual({ cpuMillis: 50, memoryBytes: 64 * MI });
    expect(requests((falco.values(ctx) as WithResources).resources)).toEqual({ cpuMillis: 100, memoryBytes: 512 * MI });
    expect(requests((falcoGvisor.values(ctx) as WithResources).resources)).toEqual({
      cpuMillis: 100,
      memoryBytes: 512 * MI,
    });
  });

  it('are what the model subtracts from the node', () => {
    const source = buildModel(spec).parameters.find((p) => p.name === 'agent node allocatable')!.source;
    expect(source).toContain(
      'minus DaemonSets kube-prometheus-stack/node-exporter 50m/64Mi, falco/falco 100m/512Mi, falco-gvisor/falco 100m/512Mi, fluent-bit/fluent-bit 50m/64Mi',
    );
  });

  it('follow the add-on switches: without Falco, the node exporter and Fluent Bit', () => {
    const raw = rawStack('prod');
    raw.addons.falco = { enabled: false };
    const noFalco = parseRaw(raw);
    expect(nodeAgentsOn(noFalco, noFalco.placement.agents!).map((d) => d.name)).toEqual([
      'kube-prometheus-stack/node-exporter',
      'fluent-bit/fluent-bit',
    ]);
  });

  it('the mesh sidecar the simulation adds to an API pod is the one istiod injects', () => {
    const values = istiod.values(ctx) as { global: { proxy: { resources: Requests & { limits: { cpu: string } } } } };
    const r = values.global.proxy.resources;
    expect(requests(r)).toEqual({ cpuMillis: MESH_SIDECAR.cpuMillis, memoryBytes: MESH_SIDECAR.memoryBytes });
    expect(cpuMillis(r.limits.cpu)).toBe(MESH_SIDECAR.limitsCpuMillis);
  });
});
