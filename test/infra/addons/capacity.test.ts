/**
 * The pods each add-on declares for the capacity check are the pods its values make:
 * every add-on that runs pods declares them (add-ons added later included), and the
 * requests declared are exactly the requests blocks its values pass to the chart.
 */
import { envChecksum } from '../../../infra/addons/config-checksum';
import { installMocks } from '../../support/pulumi-mocks';

installMocks();

import { ADDON_DEFINITIONS, definitionOf } from '../../../infra/addons/catalogue';
import { addonPods, humanCpu, humanMemory } from '../../../infra/addons/capacity';
import type { AddonContext } from '../../../infra/addons/types';
import { parseRaw, stackSpec } from '../../support/environments';
import { awsRaw, fakeCluster } from '../support';
import type { EnvironmentSpec } from '../../../config';

type Json = Record<string, unknown>;
const isPlain = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Requests that are not the add-on's own running pods: one-off install Jobs (the admission
 * certificate generators, cert-manager's post-install start-up API check), the
 * sidecar istiod injects into meshed workloads (counted with those, not with istiod),
 * and init containers, which finish before the pod's containers start and request less
 * (the scheduler counts the larger of the two).
 */
const NOT_ADDON_PODS = [
  /certGen/,
  /admissionWebhooks\.patch/,
  /^startupapicheck\./,
  /^global\.proxy\./,
  /^initContainers\[/,
];

/** Every `{requests: {cpu, memory}}` block in the values, skipping components switched off. */
function requestBlocks(values: unknown, path = ''): string[] {
  if (Array.isArray(values)) return values.flatMap((v, i) => requestBlocks(v, `${path}[${i}]`));
  if (!isPlain(values) || values.enabled === false) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const at = path ? `${path}.${key}` : key;
    if (key === 'requests' && isPlain(value) && 'cpu' in value && 'memory' in value) {
      if (!NOT_ADDON_PODS.some((p) => p.test(at))) out.push(`${String(value.cpu)}/${String(value.memory)}`);
    } else out.push(...requestBlocks(value, at));
  }
  return out;
}

function valuesOf(spec: EnvironmentSpec, name: (typeof ADDON_DEFINITIONS)[number]['name']): Json {
  const def = definitionOf(name);
  const ctx: AddonContext = {
    spec,
    cluster: fakeCluster(spec),
    namespace: def.namespace(spec),
    namespaces: {},
    checksum: envChecksum,
  };
  return def.values(ctx) as Json;
}

describe('add-on pods for the capacity check', () => {
  it('every add-on that runs pods declares them', () => {
    const missing = ADDON_DEFINITIONS.filter((d) => d.placement !== 'none' && !d.pods).map((d) => d.name);
    expect(missing).toEqual([]);
  });

  const environments: [string, EnvironmentSpec][] = [
    ['staging', stackSpec('staging')],
    ['prod', stackSpec('prod')],
    ['aws', parseRaw(awsRaw())],
  ];
  describe.each(environments)('%s: declared requests are the values’ requests', (_name, spec) => {
    const enabled = ADDON_DEFINITIONS.filter((d) => d.enabled(spec) && d.placement !== 'none');
    it.each(enabled.map((d) => [d.name, d] as const))('%s', (_addon, def) => {
      const fromValues = new Set(requestBlocks(valuesOf(spec, def.name)));
      const declared = new Set(
        (def.pods?.(spec) ?? []).flatMap((p) => p.containers.map((c) => `${c.cpu}/${c.memory}`)),
      );
      expect([...declared].sort()).toEqual([...fromValues].sort());
    });
  });

  it('places controllers at their counts and node agents per node (staging)', () => {
    const pods = addonPods(stackSpec('staging'));
    expect(pods.find((p) => p.name === 'vault/server')).toMatchObject({ pod: { replicas: 3 }, placement: 'system' });
    expect(pods.find((p) => p.name === 'istio-ingressgateway/gateway')).toMatchObject({
      pod: { replicas: stackSpec('staging').addons.istio.gatewayReplicas.max },
    });
    expect(pods.find((p) => p.name === 'falco/falco')).toMatchObject({
      pod: { replicas: 'per-node' },
      placement: 'every-node',
      perPod: { cpu: 100, memory: 512 * 2 ** 20 },
    });
  });

  it('counts the edge add-ons: cert-manager and falcosidekick on the system pool, Fluent Bit on every node', () => {
    const spec = stackSpec('prod');
    const pods = addonPods(spec);
    const byName = (name: string) => pods.find((p) => p.name === name);
    expect(byName('cert-manager/controller')).toMatchObject({ pod: { replicas: 2 }, placement: 'system' });
    expect(byName('cert-manager/webhook')).toMatchObject({ pod: { replicas: 2 }, placement: 'system' });
    expect(byName('cert-manager/cainjector')).toMatchObject({ pod: { replicas: 1 }, placement: 'system' });
    expect(byName('falcosidekick/falcosidekick')).toMatchObject({ pod: { replicas: 2 }, placement: 'system' });
    expect(byName('fluent-bit/fluent-bit')).toMatchObject({
      pod: { replicas: 'per-node' },
      placement: 'every-node',
      perPod: { cpu: 50, memory: 64 * 2 ** 20 },
    });
    // external-dns with the Hetzner DNS webhook as its sidecar: both containers count.
    expect(byName('external-dns/controller')).toMatchObject({ perPod: { cpu: 30, memory: 96 * 2 ** 20 } });
  });

  it('writes quantities for people', () => {
    expect([humanCpu(850), humanCpu(1650), humanCpu(3000)]).toEqual(['850m CPU', '1.7 CPU', '3 CPU']);
    expect([humanMemory(300 * 2 ** 20), humanMemory(2.94 * 2 ** 30), humanMemory(2 ** 31)]).toEqual([
      '300 MiB',
      '2.9 GiB',
      '2 GiB',
    ]);
  });
});
