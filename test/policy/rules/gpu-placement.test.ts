/**
 * cross.gpu-device-plugin: a pod requesting nvidia.com/gpu must land only where the NVIDIA
 * device plugin runs (the gpu: true pools, config/cluster-needs.ts), judged on rendered
 * manifests of a real example with a GPU pool.
 */
import { runGate } from '../../../policy';
import { fromObjects } from '../../../policy/manifests';
import { findingsOf, TEST_SCHEMAS, type Obj } from '../fixtures';
import { exampleObjects, exampleSpec } from '../../support/examples';

const spec = exampleSpec('support-copilot');
const base = exampleObjects('support-copilot') as Obj[];
const gate = (objects: Obj[], s = spec) =>
  runGate(fromObjects(objects, 'fixture.yaml'), { schemas: TEST_SCHEMAS, families: ['gpu-placement'], spec: s });
const gpuWorkload = (objects: Obj[]): Obj =>
  objects.find(
    (o) =>
      o.kind === 'Deployment' &&
      o.spec.template.spec.containers.some((c: Obj) => c.resources?.limits?.['nvidia.com/gpu'] !== undefined),
  );

describe('cross.gpu-device-plugin', () => {
  it('accepts the example: its GPU service lands on the gpu pool only, where the plugin runs', () => {
    expect(gpuWorkload(structuredClone(base))).toBeDefined();
    expect(gate(structuredClone(base)).findings).toEqual([]);
  });

  it('refuses a GPU pod that could also land on a pool without the plugin', () => {
    const objects = structuredClone(base);
    const workload = gpuWorkload(objects);
    const pod = workload.spec.template.spec;
    delete pod.nodeSelector;
    const [f, ...rest] = findingsOf(gate(objects), 'cross.gpu-device-plugin');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ object: { kind: 'Deployment', name: workload.metadata.name } });
    expect(f!.path).toBe('spec.template.spec.containers[0].resources');
    expect(f!.message).toMatch(
      /^container "inference" requests nvidia\.com\/gpu, but its pods can land on system, general, where no NVIDIA device plugin runs \(it runs on: gpu\); there the pods stay Pending$/,
    );
    expect(f!.fix).toBe('schedule the pods on a gpu: true pool only, with schedulingFor(pool) of gpu');
  });

  it('refuses any GPU pod in an environment without a GPU pool', () => {
    const objects = structuredClone(base);
    const withoutGpuPools = { ...spec, nodePools: spec.nodePools.map((p) => ({ ...p, gpu: false })) };
    const [f] = findingsOf(gate(objects, withoutGpuPools), 'cross.gpu-device-plugin');
    expect(f!.message).toContain('where no NVIDIA device plugin runs (it runs on: none)');
    expect(f!.fix).toContain('declare a pool with gpu: true');
  });

  it('ignores pods that request no GPU', () => {
    const objects = structuredClone(base).filter((o: Obj) => o !== gpuWorkload(base));
    const cpuOnly = objects.filter((o: Obj) => !JSON.stringify(o).includes('nvidia.com/gpu'));
    expect(gate(cpuOnly).findings).toEqual([]);
  });
});
