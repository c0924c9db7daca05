/**
 * Do the add-ons fit their pools? Every enabled add-on declares its pods
 * (AddonDefinition.pods, the requests its values set): controllers at their replica
 * count (an HPA's max) on `spec.placement.system`, node agents (`per-node`) on every
 * pool their placement covers. The DaemonSets must fit one node of each pool they run
 * on; the controllers must fit the system pool at its max, after the DaemonSets, and
 * each controller pod one node of it. Requests only, like the scheduler. Pure:
 * `npm run synth` and `pulumi up` run it alike (infra/preflight.ts).
 */
import { allocatable, bytes, cpuMillis, type AddonName, type EnvironmentSpec, type NodePool } from '../../config';
import { PreflightError } from '../preflight-error';
import { definitionOf, enabledAddons } from './catalogue';
import type { AddonPlacement, AddonPod } from './types';

interface Demand {
  readonly cpu: number;
  readonly memory: number;
}

interface Placed {
  /** `addon/component`, for messages. */
  readonly name: string;
  readonly pod: AddonPod;
  readonly placement: AddonPlacement;
  readonly perPod: Demand;
}

const ZERO: Demand = { cpu: 0, memory: 0 };
const plus = (a: Demand, b: Demand): Demand => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory });
const times = (a: Demand, n: number): Demand => ({ cpu: a.cpu * n, memory: a.memory * n });

/** `850m`, `1.6 CPU`. */
export function humanCpu(millis: number): string {
  return millis < 1000 ? `${Math.round(millis)}m CPU` : `${(Math.round(millis / 100) / 10).toString()} CPU`;
}

/** `300 MiB`, `2.9 GiB`. */
export function humanMemory(value: number): string {
  const gib = value / 2 ** 30;
  return gib < 1 ? `${Math.round(value / 2 ** 20)} MiB` : `${(Math.round(gib * 10) / 10).toString()} GiB`;
}

const human = (d: Demand) => `${humanCpu(d.cpu)} / ${humanMemory(d.memory)}`;

function podDemand(pod: AddonPod): Demand {
  return pod.containers.reduce<Demand>((sum, c) => plus(sum, { cpu: cpuMillis(c.cpu), memory: bytes(c.memory) }), ZERO);
}

/** The pods of every enabled add-on (`enabled`: the add-on plan's, when the caller has it), with where they run. */
export function addonPods(spec: EnvironmentSpec, enabled: readonly AddonName[] = enabledAddons(spec)): Placed[] {
  return enabled.flatMap((addon) => {
    const def = definitionOf(addon);
    return (def.pods?.(spec) ?? []).map((pod) => ({
      name: `${def.release}/${pod.component}`,
      pod,
      placement: pod.on ?? def.placement,
      perPod: podDemand(pod),
    }));
  });
}

/** Does a node agent of this placement run on this pool? */
function runsOn(placement: AddonPlacement, pool: NodePool): boolean {
  if (placement === 'gpu-nodes') return pool.gpu;
  return placement === 'every-node' || (placement === 'workload-nodes' && pool.role !== 'agents');
}

function fitsIn(need: Demand, room: Demand): boolean {
  return need.cpu <= room.cpu && need.memory <= room.memory;
}

/** Problems, each with its arithmetic and what fits; empty when the add-ons fit. */
export function addonCapacityProblems(spec: EnvironmentSpec, enabled?: readonly AddonName[]): string[] {
  const pods = addonPods(spec, enabled);
  const problems: string[] = [];
  const perNode = (pool: NodePool) => pods.filter((p) => p.pod.replicas === 'per-node' && runsOn(p.placement, pool));
  const nodeRoom = (pool: NodePool): Demand => {
    const a = allocatable(pool.instance);
    return { cpu: a.cpuMillis, memory: a.memoryBytes };
  };

  spec.nodePools.forEach((pool, i) => {
    const agents = perNode(pool);
    const need = agents.reduce<Demand>((sum, p) => plus(sum, p.perPod), ZERO);
    const room = nodeRoom(pool);
    if (!fitsIn(need, room)) {
      problems.push(
        `nodePools[${i}] ("${pool.name}", ${pool.instanceType}: ${human(room)} allocatable per node) is too small for the add-ons' ` +
          `node agents alone: ${agents.map((p) => `${p.name} ${human(p.perPod)}`).join(' + ')} = ${human(need)} per node; ` +
          'use a larger instance type',
      );
    }
  });

  const system = spec.placement.system;
  const index = spec.nodePools.indexOf(system);
  const daemons = perNode(system).reduce<Demand>((sum, p) => plus(sum, p.perPod), ZERO);
  const perNodeRoom: Demand = {
    cpu: nodeRoom(system).cpu - daemons.cpu,
    memory: nodeRoom(system).memory - daemons.memory,
  };
  const controllers = pods.filter((p) => p.pod.replicas !== 'per-node' && p.pod.replicas > 0);
  const where = `pool "${system.name}" (nodePools[${index}], ${system.instanceType}: ${human(perNodeRoom)} per node after system reserve and the add-ons' DaemonSets)`;
  for (const p of controllers) {
    if (!fitsIn(p.perPod, perNodeRoom)) {
      problems.push(`${where} cannot place one ${p.name} pod (${human(p.perPod)}); use a larger instance type`);
    }
  }
  const need = controllers.reduce<Demand>((sum, p) => plus(sum, times(p.perPod, p.pod.replicas as number)), ZERO);
  const capacity = times(perNodeRoom, system.max);
  for (const [key, fmt] of [
    ['cpu', humanCpu],
    ['memory', humanMemory],
  ] as const) {
    if (need[key] <= capacity[key]) continue;
    const nodes = Math.ceil(need[key] / perNodeRoom[key]);
    problems.push(
      `${where} at its max of ${system.max} offers ${system.max} × ${fmt(perNodeRoom[key])} = ${fmt(capacity[key])}, ` +
        `but the add-ons' pods request ${controllers.map((p) => `${p.name} ${String(p.pod.replicas)} × ${fmt(p.perPod[key])}`).join(' + ')} = ${fmt(need[key])}; ` +
        `raise nodePools[${index}].max (and min) to at least ${nodes}, or use a larger instance type`,
    );
  }
  return problems;
}

/** Throws a PreflightError listing every problem. */
export function checkAddonCapacity(spec: EnvironmentSpec, enabled?: readonly AddonName[]): void {
  const problems = addonCapacityProblems(spec, enabled);
  if (problems.length > 0) {
    throw new PreflightError(
      `the add-ons of stack ${spec.stack} do not fit their node pools (requests at their replica counts):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}
