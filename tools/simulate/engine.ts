/**
 * The discrete-event simulation of one environment over a list of session arrivals.
 *
 * Modelled (each rule once, here):
 * - the orchestrator: a session of the warm pool's tier claims a Ready idle warm pod when
 *   there is one; otherwise it creates a pod of its tier, unless the tier is at its
 *   `agents.sessions` maximum (the session waits for one of its tier to end) or the
 *   ResourceQuota refuses the pod (retried after `quotaRetrySeconds`);
 * - the scheduler: pending pods in creation order onto Ready agent nodes whose allocatable
 *   minus the requests already bound admits the pod's requests (pod overhead included), the
 *   least allocated node first (kube-scheduler's default NodeResourcesFit scoring);
 * - the kubelet: the first pod on a node that was not there at the start pulls the image
 *   (`imagePullSeconds`), then the sandbox starts and the pod is Ready at the first startup
 *   probe after it (model.ts readyAfterStart);
 * - KEDA and its HPA for the warm pool: activation 0 → 1 on a poll that sees provisioning
 *   sessions, back to 0 after `cooldownPeriod` without; in between, every HPA sync sets the
 *   replicas from ceil(provisioning / targetQueryValue) with the HPA behaviour (hpa.ts);
 * - the cluster autoscaler: every scan, pods the scheduler could not place are packed onto the
 *   nodes being provisioned and then onto new nodes (first fit, largest pod first), within
 *   the pool's max; a node becomes Ready `nodeProvisionSeconds` later. A node without session
 *   pods (they are not safe to evict) whose requests stay below the utilization threshold for
 *   the unneeded time is removed, not within `scaleDownDelayAfterAddSeconds` of a scale-up;
 *   its warm pods are recreated elsewhere;
 * - sessions end after their drawn length, which frees their pod, quota and tier slot;
 * - the API (when modelled): its load is requests per second from every session waiting for its
 *   sandbox and every running session (api-load.ts); its HPA syncs every `hpaSyncSeconds` on the
 *   CPU and requests-per-second it read over the metric windows (replicasForMetric, then the
 *   behaviour of hpaDecision), within min/max; its pods are scheduled onto the API pool by
 *   requests, Ready after the image pull on a fresh node and the start; the cluster autoscaler
 *   grows the API pool within its max. When the load exceeds what the Ready replicas serve, the
 *   excess queues and a session's request waits for the queue ahead of it before the
 *   orchestrator acts on it.
 */
import { ApiLoad } from './api-load';
import { EventQueue } from './event-queue';
import { emptyHpaMemory, hpaDecision, replicasForMetric, type HpaMemory } from './hpa';
import { readyAfterStart, type PodShape, type SimulationModel } from './model';
import type { Arrival } from './profiles';

export const BINDING_LIMITS = [
  'quota',
  'pool max',
  'KEDA max',
  'warm pool',
  'tier sessions',
  'LimitRange',
  'API max',
  'API pool max',
] as const;
export type BindingLimit = (typeof BINDING_LIMITS)[number];

export interface LimitHit {
  readonly limit: BindingLimit;
  readonly firstAt: number;
  readonly count: number;
  readonly detail: string;
}

export interface SessionOutcome {
  readonly tier: string;
  readonly arrival: number;
  /** When the sandbox was Ready; undefined when it never was within the simulated period. */
  readonly readyAt?: number;
  readonly warm: boolean;
}

export interface Sample {
  readonly time: number;
  readonly pendingPods: number;
  readonly nodesReady: number;
  readonly nodesProvisioning: number;
  readonly warmPods: number;
  readonly runningSessions: number;
  readonly waitingSessions: number;
  readonly quotaUsed: QuotaUsage;
  readonly apiNodesReady?: number;
  readonly apiNodesProvisioning?: number;
}

/** What the API's HPA read and decided at one sync. */
export interface ApiSync {
  readonly time: number;
  /** Replicas the Deployment asks for after this sync. */
  readonly replicas: number;
  /** Ready pods the HPA read. */
  readonly ready: number;
  /** Requests per second arriving (the demand) and served over the CPU metric window. */
  readonly demandRps: number;
  readonly servedRps: number;
  /** CPU utilization in percent of the Ready pods' requests, as the HPA reads it; NaN without Ready pods. */
  readonly cpuUtilization: number;
  /** Seconds a request arriving now waits for the API. */
  readonly delay: number;
}

export interface ApiRun {
  readonly syncs: readonly ApiSync[];
  readonly nodeSeconds: number;
  readonly maxNodes: number;
  readonly maxReplicas: number;
  /** Sessions whose request waited for a saturated API, and the longest wait. */
  readonly delayedSessions: number;
  readonly maxDelay: number;
  readonly saturatedSeconds: number;
  /** When the HPA first added replicas; undefined if it never did. */
  readonly firstScaleUpAt?: number;
}

export interface QuotaUsage {
  cpu: number;
  memory: number;
  limitsCpu: number;
  limitsMemory: number;
  pods: number;
  services: number;
}

export interface SimulationRun {
  readonly horizon: number;
  readonly sessions: readonly SessionOutcome[];
  readonly samples: readonly Sample[];
  readonly limits: readonly LimitHit[];
  /** Highest use of each quota resource during the run. */
  readonly quotaPeak: Readonly<QuotaUsage>;
  /** Sum over agent nodes of the seconds each existed (billed from creation to removal). */
  readonly agentNodeSeconds: number;
  readonly maxAgentNodes: number;
  readonly events: number;
  readonly api?: ApiRun;
}

/** What a trace callback sees after every event (tests check invariants on it). */
export interface TraceView {
  readonly time: number;
  readonly nodes: readonly {
    readonly cpu: number;
    readonly memory: number;
    readonly pods: number;
    readonly ready: boolean;
  }[];
  readonly quotaUsed: Readonly<QuotaUsage>;
  /** Sessions holding a pod (pending, starting or Ready) per tier. */
  readonly sessionsByTier: Readonly<Record<string, number>>;
  readonly api?: {
    readonly replicas: number;
    readonly pods: number;
    readonly ready: number;
    readonly nodes: readonly {
      readonly cpu: number;
      readonly memory: number;
      readonly pods: number;
      readonly ready: boolean;
    }[];
  };
}

export interface SimulateOptions {
  /** Seconds between samples of the time series. */
  readonly sampleSeconds: number;
  readonly horizon: number;
  readonly trace?: (view: TraceView) => void;
}

interface Node {
  readonly id: number;
  readonly createdAt: number;
  ready: boolean;
  removedAt?: number;
  cpu: number;
  memory: number;
  pods: number;
  sessionPods: number;
  /** When the agent image is on the node (undefined: not pulled yet). */
  imageAt?: number;
  unneededSince?: number;
}

interface Session {
  readonly id: number;
  readonly tier: string;
  readonly arrival: number;
  readonly duration: number;
  readyAt?: number;
  warm: boolean;
  state: 'arriving' | 'waiting' | 'retrying' | 'provisioning' | 'running' | 'ended' | 'refused';
  pod?: Pod;
}

interface ApiPod {
  node?: Node;
  state: 'pending' | 'starting' | 'ready' | 'gone';
  triedAndFailed: boolean;
  readyAt?: number;
}

interface Pod {
  readonly id: number;
  readonly tier: string;
  readonly shape: PodShape;
  session?: Session;
  node?: Node;
  state: 'pending' | 'starting' | 'ready' | 'gone';
  triedAndFailed: boolean;
}

type Event =
  | { k: 'arrive'; s: Session }
  | { k: 'retry'; s: Session }
  | { k: 'claimed'; s: Session }
  | { k: 'schedule' }
  | { k: 'started'; pod: Pod }
  | { k: 'end'; s: Session }
  | { k: 'nodeReady'; node: Node }
  | { k: 'scan' }
  | { k: 'kedaPoll' }
  | { k: 'hpaSync' }
  | { k: 'apiSync' }
  | { k: 'apiServed'; s: Session }
  | { k: 'apiStarted'; pod: ApiPod }
  | { k: 'sample' };

const QUOTA_KEYS = ['cpu', 'memory', 'limitsCpu', 'limitsMemory', 'pods', 'services'] as const;

export function simulate(
  model: SimulationModel,
  arrivals: readonly Arrival[],
  options: SimulateOptions,
): SimulationRun {
  return new Simulation(model, arrivals, options).run();
}

class Simulation {
  private readonly queue = new EventQueue<Event>();
  private readonly nodes: Node[] = [];
  private readonly sessions: Session[];
  private pending: Pod[] = [];
  private readonly warmPods: Pod[] = [];
  private readonly idleWarm: Pod[] = [];
  private readonly activeByTier = new Map<string, number>();
  private readonly waitingByTier = new Map<string, Session[]>();
  private readonly quota: QuotaUsage = { cpu: 0, memory: 0, limitsCpu: 0, limitsMemory: 0, pods: 0, services: 0 };
  private readonly quotaPeak: QuotaUsage = { cpu: 0, memory: 0, limitsCpu: 0, limitsMemory: 0, pods: 0, services: 0 };
  private readonly limits = new Map<BindingLimit, { firstAt: number; count: number; detail: string }>();
  private readonly samples: Sample[] = [];
  private scheduleQueued = false;
  private provisioning = 0;
  /** Sessions Ready and not ended; sessions held by a tier limit or a quota refusal. */
  private running = 0;
  private waiting = 0;
  private warmTarget = 0;
  private warmLastActive = -Infinity;
  private readonly hpaMemory: HpaMemory = emptyHpaMemory();
  private lastScaleUp = -Infinity;
  private live = 0;
  private maxLive = 0;
  private nextPodId = 0;
  private events = 0;
  private readonly readyDelay: number;
  // The API: its nodes, pods, HPA and load.
  private readonly apiNodes: Node[] = [];
  private apiPods: ApiPod[] = [];
  private apiTarget = 0;
  private apiReady = 0;
  private readonly apiHpaMemory: HpaMemory = emptyHpaMemory();
  private readonly apiLoad?: ApiLoad;
  private readonly apiSyncs: ApiSync[] = [];
  private apiReadyDelay = 0;
  private apiLive = 0;
  private apiMaxLive = 0;
  private apiMaxReplicas = 0;
  private apiDelayed = 0;
  private apiMaxDelay = 0;
  private apiFirstScaleUp?: number;
  /** What the Ready replicas serve at the most; undefined: to recompute (a pod became Ready or went). */
  private apiCapacityCache?: number;
  /** Sessions the user started that have no Ready sandbox yet (they poll the API). */
  private starting = 0;

  constructor(
    private readonly model: SimulationModel,
    arrivals: readonly Arrival[],
    private readonly options: SimulateOptions,
  ) {
    this.readyDelay = readyAfterStart(model);
    this.sessions = arrivals.map((a, id) => ({
      id,
      tier: a.tier,
      arrival: a.time,
      duration: a.durationSeconds,
      warm: false,
      state: 'arriving',
    }));
    const api = model.api;
    if (api) {
      this.apiLoad = new ApiLoad(Math.max(api.cpuWindowSeconds, api.rpsWindowSeconds));
      this.apiReadyDelay = readyAfterStart(
        { timings: model.timings, startupProbe: api.startupProbe },
        model.timings.apiStartSeconds,
      );
    }
  }

  run(): SimulationRun {
    const { model, options } = this;
    // Nodes present at the start have run agents before: the image is cached on them.
    for (let i = 0; i < model.agentPool.initial; i++) this.addNode(0, true);
    for (const s of this.sessions) this.queue.push(s.arrival, { k: 'arrive', s });
    if (model.autoscaler.enabled && (model.agentPool.autoscaled || model.api?.pool.autoscaled)) {
      this.queue.push(0, { k: 'scan' });
    }
    if (model.api) this.startApi();
    if (model.warmPool) {
      this.warmTarget = model.warmPool.min;
      this.reconcileWarm(0);
      this.queue.push(0, { k: 'kedaPoll' });
      this.queue.push(0, { k: 'hpaSync' });
    }
    this.queue.push(0, { k: 'sample' });
    this.requestSchedule(0);

    while (this.queue.peekTime() <= options.horizon) {
      const { time, item } = this.queue.pop()!;
      this.events++;
      this.handle(time, item);
      options.trace?.(this.view(time));
    }
    return this.result();
  }

  private handle(t: number, e: Event): void {
    switch (e.k) {
      case 'arrive':
        this.starting++;
        if (this.apiLoad) {
          this.updateApiLoad(t);
          const delay = this.apiLoad.delay(t);
          if (delay > 0) {
            this.apiDelayed++;
            this.apiMaxDelay = Math.max(this.apiMaxDelay, delay);
            if (t + delay <= this.options.horizon) this.queue.push(t + delay, { k: 'apiServed', s: e.s });
            return;
          }
        }
        this.provisioning++;
        this.tryStart(e.s, t);
        return;
      case 'apiServed':
        this.provisioning++;
        this.tryStart(e.s, t);
        return;
      case 'apiSync':
        this.apiSync(t);
        this.every(t, this.model.timings.hpaSyncSeconds, e);
        return;
      case 'apiStarted':
        this.apiPodStarted(e.pod, t);
        return;
      case 'retry':
        if (e.s.state === 'retrying') this.tryStart(e.s, t);
        return;
      case 'claimed':
        this.sessionReady(e.s, t);
        return;
      case 'schedule':
        this.scheduleQueued = false;
        this.schedulePass(t);
        return;
      case 'started':
        this.podStarted(e.pod, t);
        return;
      case 'end':
        this.endSession(e.s, t);
        return;
      case 'nodeReady':
        if (e.node.removedAt === undefined) {
          e.node.ready = true;
          this.requestSchedule(t);
        }
        return;
      case 'scan':
        this.autoscalerScan(t);
        this.every(t, this.model.autoscaler.scanSeconds, e);
        return;
      case 'kedaPoll':
        this.kedaPoll(t);
        this.every(t, this.model.warmPool!.pollingSeconds, e);
        return;
      case 'hpaSync':
        this.hpaSync(t);
        this.every(t, this.model.timings.hpaSyncSeconds, e);
        return;
      case 'sample':
        this.sample(t);
        this.every(t, this.options.sampleSeconds, e);
        return;
    }
  }

  private every(t: number, period: number, e: Event): void {
    if (t + period <= this.options.horizon) this.queue.push(t + period, e);
  }

  private hit(limit: BindingLimit, t: number, detail: string): void {
    const known = this.limits.get(limit);
    if (known) known.count++;
    else this.limits.set(limit, { firstAt: t, count: 1, detail });
  }

  // ---- the orchestrator -----------------------------------------------------------------

  private tryStart(s: Session, t: number): void {
    const { model } = this;
    const refused = model.refusedTiers[s.tier];
    if (refused !== undefined) {
      this.setState(s, 'refused');
      this.provisioning--;
      this.starting--;
      this.updateApiLoad(t);
      this.hit('LimitRange', t, `tier ${s.tier} is rejected at admission: ${refused}`);
      return;
    }
    // The orchestrator enforces the tier's concurrency first, warm pod or not.
    const limit = model.sessionLimits[s.tier];
    const active = this.activeByTier.get(s.tier) ?? 0;
    if (limit !== undefined && active >= limit) {
      this.setState(s, 'waiting');
      const list = this.waitingByTier.get(s.tier) ?? [];
      list.push(s);
      this.waitingByTier.set(s.tier, list);
      this.hit('tier sessions', t, `tier ${s.tier} at agents.sessions.${s.tier} = ${limit} concurrent sessions`);
      return;
    }
    const warm = model.warmPool;
    if (warm && warm.tier === s.tier) {
      if (this.idleWarm.length > 0 && this.quota.services + 1 <= model.quota.services) {
        this.claimWarm(s, t);
        return;
      }
      this.hit('warm pool', t, `a ${s.tier} session found no Ready idle warm pod (warm pool ${warm.min}–${warm.max})`);
    }
    const shape = model.tiers[s.tier]!;
    const refusal = this.quotaRefusal(shape, 1);
    if (refusal) {
      this.setState(s, 'retrying');
      this.hit('quota', t, refusal);
      this.queue.push(t + model.timings.quotaRetrySeconds, { k: 'retry', s });
      return;
    }
    this.activeByTier.set(s.tier, active + 1);
    const pod = this.createPod(s.tier, t, 1);
    pod.session = s;
    s.pod = pod;
    this.setState(s, 'provisioning');
  }

  /** Moves a session to a state, keeping the running and waiting counts. */
  private setState(s: Session, state: Session['state']): void {
    const held = (x: Session['state']) => x === 'waiting' || x === 'retrying';
    if (s.state === 'running') this.running--;
    if (held(s.state)) this.waiting--;
    if (state === 'running') this.running++;
    if (held(state)) this.waiting++;
    s.state = state;
  }

  private claimWarm(s: Session, t: number): void {
    const pod = this.idleWarm.shift()!;
    this.warmPods.splice(this.warmPods.indexOf(pod), 1);
    pod.session = s;
    pod.node!.sessionPods++;
    s.pod = pod;
    s.warm = true;
    this.setState(s, 'provisioning');
    this.activeByTier.set(s.tier, (this.activeByTier.get(s.tier) ?? 0) + 1);
    this.addQuota(undefined, 0, 1);
    this.queue.push(t + this.model.timings.warmClaimSeconds, { k: 'claimed', s });
    // The Deployment lost a replica to the session: its ReplicaSet creates a replacement.
    this.reconcileWarm(t);
  }

  private sessionReady(s: Session, t: number): void {
    s.readyAt = t;
    this.setState(s, 'running');
    this.provisioning--;
    this.starting--;
    this.updateApiLoad(t);
    this.queue.push(t + s.duration, { k: 'end', s });
  }

  private endSession(s: Session, t: number): void {
    this.setState(s, 'ended');
    this.updateApiLoad(t);
    this.deletePod(s.pod!);
    this.addQuota(undefined, 0, -1);
    this.activeByTier.set(s.tier, this.activeByTier.get(s.tier)! - 1);
    const next = this.waitingByTier.get(s.tier)?.shift();
    if (next) this.tryStart(next, t);
    this.requestSchedule(t);
  }

  // ---- the API server: quota and pods ---------------------------------------------------

  private quotaRefusal(shape: PodShape, services: number): string | undefined {
    const q = this.model.quota;
    const u = this.quota;
    const want: Record<(typeof QUOTA_KEYS)[number], number> = {
      cpu: shape.cpu,
      memory: shape.memory,
      limitsCpu: shape.limitsCpu,
      limitsMemory: shape.limitsMemory,
      pods: 1,
      services,
    };
    for (const key of QUOTA_KEYS) {
      if (u[key] + want[key] > q[key]) return `agents quota ${key}: ${u[key]} used + ${want[key]} > ${q[key]}`;
    }
    return undefined;
  }

  /** Charges (sign 1) or releases (sign -1) a pod's resources, and services, against the quota. */
  private addQuota(pod: PodShape | undefined, sign: number, services: number): void {
    const u = this.quota;
    if (pod) {
      u.cpu += sign * pod.cpu;
      u.memory += sign * pod.memory;
      u.limitsCpu += sign * pod.limitsCpu;
      u.limitsMemory += sign * pod.limitsMemory;
      u.pods += sign;
    }
    u.services += services;
    for (const key of QUOTA_KEYS) if (u[key] > this.quotaPeak[key]) this.quotaPeak[key] = u[key];
  }

  private createPod(tier: string, t: number, services: number): Pod {
    const shape = this.model.tiers[tier]!;
    this.addQuota(shape, 1, services);
    const pod: Pod = { id: this.nextPodId++, tier, shape, state: 'pending', triedAndFailed: false };
    this.pending.push(pod);
    this.requestSchedule(t);
    return pod;
  }

  private deletePod(pod: Pod): void {
    const node = pod.node;
    if (node && pod.state !== 'gone') {
      node.cpu -= pod.shape.cpu;
      node.memory -= pod.shape.memory;
      node.pods--;
      if (pod.session) node.sessionPods--;
    }
    if (pod.state !== 'gone') this.addQuota(pod.shape, -1, 0);
    if (pod.state === 'ready' && !pod.session) {
      const i = this.idleWarm.indexOf(pod);
      if (i >= 0) this.idleWarm.splice(i, 1);
    }
    pod.state = 'gone';
  }

  // ---- the scheduler and the kubelet ------------------------------------------------------

  private requestSchedule(t: number): void {
    if (this.scheduleQueued) return;
    this.scheduleQueued = true;
    this.queue.push(t, { k: 'schedule' });
  }

  private schedulePass(t: number): void {
    const failed = new Set<string>();
    const still: Pod[] = [];
    for (const pod of this.pending) {
      if (pod.state !== 'pending') continue;
      // Pods of one tier are identical: once one does not fit, the rest of its tier do not either.
      const node = failed.has(pod.tier) ? undefined : this.bestNode(pod.shape);
      if (!node) {
        failed.add(pod.tier);
        pod.triedAndFailed = true;
        still.push(pod);
        continue;
      }
      this.bind(pod, node, t);
    }
    this.pending = still;
    if (this.model.api) this.scheduleApi(t);
  }

  /** kube-scheduler's default scoring, LeastAllocated: the node with the most room left after the pod. */
  private bestNode(shape: PodShape): Node | undefined {
    const a = this.model.agentPool.allocatable;
    const maxPods = this.model.agentPool.maxPods;
    let best: Node | undefined;
    let bestScore = -Infinity;
    for (const n of this.nodes) {
      if (!n.ready || n.removedAt !== undefined) continue;
      if (n.cpu + shape.cpu > a.cpu || n.memory + shape.memory > a.memory || n.pods + 1 > maxPods) continue;
      const score = (a.cpu - n.cpu - shape.cpu) / a.cpu + (a.memory - n.memory - shape.memory) / a.memory;
      if (score > bestScore) {
        best = n;
        bestScore = score;
      }
    }
    return best;
  }

  private bind(pod: Pod, node: Node, t: number): void {
    const timings = this.model.timings;
    node.cpu += pod.shape.cpu;
    node.memory += pod.shape.memory;
    node.pods++;
    if (pod.session) node.sessionPods++;
    node.unneededSince = undefined;
    pod.node = node;
    pod.state = 'starting';
    const admitted = t + timings.schedulingSeconds;
    if (node.imageAt === undefined) node.imageAt = admitted + timings.imagePullSeconds;
    const containerStart = Math.max(admitted, node.imageAt);
    this.queue.push(containerStart + this.readyDelay, { k: 'started', pod });
  }

  private podStarted(pod: Pod, t: number): void {
    if (pod.state !== 'starting') return;
    pod.state = 'ready';
    if (pod.session) this.sessionReady(pod.session, t);
    else this.idleWarm.push(pod);
  }

  // ---- KEDA and the warm pool's HPA -------------------------------------------------------

  private kedaPoll(t: number): void {
    const warm = this.model.warmPool!;
    if (this.provisioning > 0) {
      this.warmLastActive = t;
      if (this.warmTarget === 0) {
        this.warmTarget = Math.max(1, warm.min);
        this.reconcileWarm(t);
      }
    } else if (this.warmTarget > 0 && warm.min === 0 && t - this.warmLastActive >= warm.cooldownSeconds) {
      this.warmTarget = 0;
      this.hpaMemory.recommendations.length = 0;
      this.reconcileWarm(t);
    }
  }

  private hpaSync(t: number): void {
    const warm = this.model.warmPool!;
    // At 0 replicas KEDA owns activation; its HPA (minReplicas >= 1) does not act.
    if (this.warmTarget === 0) return;
    const recommended = Math.ceil(this.provisioning / warm.targetQueryValue);
    if (recommended > warm.max) {
      this.hit('KEDA max', t, `warm pool wanted ${recommended} pods, maxReplicaCount ${warm.max}`);
    }
    const next = hpaDecision(
      {
        now: t,
        current: this.warmTarget,
        recommended,
        min: Math.max(1, warm.min),
        max: warm.max,
        behavior: warm.behavior,
      },
      this.hpaMemory,
    );
    if (next !== this.warmTarget) {
      this.warmTarget = next;
      this.reconcileWarm(t);
    }
  }

  /** The warm Deployment's ReplicaSet: creates or deletes pods towards the target. */
  private reconcileWarm(t: number): void {
    const warm = this.model.warmPool;
    if (!warm) return;
    while (this.warmPods.length < this.warmTarget) {
      const refusal = this.quotaRefusal(this.model.tiers[warm.tier]!, 0);
      if (refusal) {
        this.hit('quota', t, `warm pod refused: ${refusal}`);
        return;
      }
      this.warmPods.push(this.createPod(warm.tier, t, 0));
    }
    while (this.warmPods.length > this.warmTarget) {
      // The ReplicaSet deletes unscheduled pods first, then not-ready ones, then Ready ones.
      const rank = (p: Pod) => (p.state === 'pending' ? 0 : p.state === 'starting' ? 1 : 2);
      let victim = 0;
      for (let i = 1; i < this.warmPods.length; i++) {
        if (rank(this.warmPods[i]!) < rank(this.warmPods[victim]!)) victim = i;
      }
      const [pod] = this.warmPods.splice(victim, 1);
      this.deletePod(pod!);
    }
  }

  // ---- the cluster autoscaler -------------------------------------------------------------

  private addNode(t: number, ready: boolean): Node {
    const node: Node = { id: this.nodes.length, createdAt: t, ready, cpu: 0, memory: 0, pods: 0, sessionPods: 0 };
    if (ready) node.imageAt = 0;
    this.nodes.push(node);
    this.live++;
    this.maxLive = Math.max(this.maxLive, this.live);
    return node;
  }

  private liveNodes(): Node[] {
    return this.nodes.filter((n) => n.removedAt === undefined);
  }

  private autoscalerScan(t: number): void {
    if (this.model.agentPool.autoscaled) this.scaleUp(t);
    if (this.model.api?.pool.autoscaled) this.apiScaleUp(t);
    // Scale-down waits for scale-down-delay-after-add after a scale-up of any pool, and removes
    // at most one occupied node per scan across the pools.
    if (t - this.lastScaleUp < this.model.autoscaler.delayAfterAddSeconds) return;
    const removedOccupied = this.model.agentPool.autoscaled ? this.scaleDown(t) : false;
    if (this.model.api?.pool.autoscaled) this.apiScaleDown(t, removedOccupied);
  }

  private scaleUp(t: number): void {
    const pool = this.model.agentPool;
    const unschedulable = this.pending.filter((p) => p.state === 'pending' && p.triedAndFailed);
    if (unschedulable.length === 0) return;
    const live = this.liveNodes();
    const room = pool.max - live.length;
    // Like the autoscaler, first set aside pods that fit on Ready nodes (the scheduler will place
    // them) or on nodes still being provisioned; only the rest ask for new nodes.
    // Binpacking estimate: the largest pods first (cluster-autoscaler estimator/binpacking_estimator.go).
    const a = pool.allocatable;
    const bins = live.map((n) => ({ cpu: n.cpu, memory: n.memory, pods: n.pods }));
    const existing = bins.length;
    const sorted = [...unschedulable].sort(
      (x, y) => y.shape.cpu / a.cpu + y.shape.memory / a.memory - (x.shape.cpu / a.cpu + x.shape.memory / a.memory),
    );
    for (const pod of sorted) {
      const s = pod.shape;
      if (s.cpu > a.cpu || s.memory > a.memory) continue; // never fits a node of this pool
      let bin = bins.find(
        (b) => b.cpu + s.cpu <= a.cpu && b.memory + s.memory <= a.memory && b.pods + 1 <= pool.maxPods,
      );
      if (!bin) {
        bin = { cpu: 0, memory: 0, pods: 0 };
        bins.push(bin);
      }
      bin.cpu += s.cpu;
      bin.memory += s.memory;
      bin.pods++;
    }
    const needed = bins.length - existing;
    if (needed === 0) return;
    const add = Math.min(needed, Math.max(0, room));
    if (add < needed) {
      // The pool max binds only when pods need nodes the pool may not add.
      this.hit(
        'pool max',
        t,
        `pool ${pool.name} needed ${needed} more nodes, ${Math.max(0, room)} left below its max of ${pool.max}`,
      );
    }
    for (let i = 0; i < add; i++) {
      const node = this.addNode(t, false);
      this.queue.push(t + this.model.timings.nodeProvisionSeconds, { k: 'nodeReady', node });
    }
    if (add > 0) this.lastScaleUp = t;
  }

  /** Returns whether it removed an occupied node. */
  private scaleDown(t: number): boolean {
    const ca = this.model.autoscaler;
    const pool = this.model.agentPool;
    const live = this.liveNodes();
    let removable = live.length - pool.min;
    const a = pool.allocatable;
    const empty: Node[] = [];
    let occupied: Node | undefined;
    for (const n of live) {
      const utilization = Math.max(n.cpu / a.cpu, n.memory / a.memory);
      if (!n.ready || n.sessionPods > 0 || utilization >= ca.utilizationThreshold) {
        n.unneededSince = undefined;
        continue;
      }
      n.unneededSince ??= t;
      if (t - n.unneededSince < ca.unneededSeconds) continue;
      if (n.pods === 0) empty.push(n);
      else if (!occupied && this.warmPodsFitElsewhere(n)) occupied = n;
    }
    for (const n of empty.slice(0, ca.maxEmptyBulkDelete)) {
      if (removable <= 0) return false;
      this.removeNode(n, t);
      removable--;
    }
    if (occupied && removable > 0) {
      this.removeNode(occupied, t);
      return true;
    }
    return false;
  }

  private warmPodsFitElsewhere(node: Node): boolean {
    const a = this.model.agentPool.allocatable;
    const others = this.liveNodes()
      .filter((n) => n !== node && n.ready)
      .map((n) => ({ cpu: n.cpu, memory: n.memory }));
    for (const pod of this.warmPods) {
      if (pod.node !== node) continue;
      const bin = others.find((b) => b.cpu + pod.shape.cpu <= a.cpu && b.memory + pod.shape.memory <= a.memory);
      if (!bin) return false;
      bin.cpu += pod.shape.cpu;
      bin.memory += pod.shape.memory;
    }
    return true;
  }

  private removeNode(node: Node, t: number): void {
    node.removedAt = t;
    node.ready = false;
    this.live--;
    const evicted = this.warmPods.filter((p) => p.node === node);
    for (const pod of evicted) {
      this.warmPods.splice(this.warmPods.indexOf(pod), 1);
      this.deletePod(pod);
    }
    if (evicted.length > 0) this.reconcileWarm(t);
  }

  // ---- observation ------------------------------------------------------------------------

  private sample(t: number): void {
    let ready = 0;
    let provisioning = 0;
    for (const n of this.nodes) {
      if (n.removedAt !== undefined) continue;
      if (n.ready) ready++;
      else provisioning++;
    }
    this.samples.push({
      time: t,
      pendingPods: this.pending.reduce((n, p) => n + (p.state === 'pending' ? 1 : 0), 0),
      nodesReady: ready,
      nodesProvisioning: provisioning,
      warmPods: this.warmPods.length,
      runningSessions: this.running,
      waitingSessions: this.waiting,
      quotaUsed: { ...this.quota },
      ...(this.model.api
        ? {
            apiNodesReady: this.apiNodes.filter((n) => n.removedAt === undefined && n.ready).length,
            apiNodesProvisioning: this.apiNodes.filter((n) => n.removedAt === undefined && !n.ready).length,
          }
        : {}),
    });
  }

  private view(t: number): TraceView {
    return {
      time: t,
      nodes: this.nodes
        .filter((n) => n.removedAt === undefined)
        .map((n) => ({ cpu: n.cpu, memory: n.memory, pods: n.pods, ready: n.ready })),
      quotaUsed: { ...this.quota },
      sessionsByTier: Object.fromEntries(this.activeByTier),
      ...(this.model.api
        ? {
            api: {
              replicas: this.apiTarget,
              pods: this.apiPods.length,
              ready: this.apiReady,
              nodes: this.apiNodes
                .filter((n) => n.removedAt === undefined)
                .map((n) => ({ cpu: n.cpu, memory: n.memory, pods: n.pods, ready: n.ready })),
            },
          }
        : {}),
    };
  }

  private result(): SimulationRun {
    const horizon = this.options.horizon;
    let nodeSeconds = 0;
    for (const n of this.nodes) nodeSeconds += Math.min(n.removedAt ?? horizon, horizon) - n.createdAt;
    return {
      horizon,
      sessions: this.sessions.map((s) => ({
        tier: s.tier,
        arrival: s.arrival,
        warm: s.warm,
        ...(s.readyAt === undefined ? {} : { readyAt: s.readyAt }),
      })),
      samples: this.samples,
      limits: [...this.limits.entries()]
        .map(([limit, v]) => ({ limit, ...v }))
        .sort((x, y) => x.firstAt - y.firstAt || BINDING_LIMITS.indexOf(x.limit) - BINDING_LIMITS.indexOf(y.limit)),
      quotaPeak: { ...this.quotaPeak },
      agentNodeSeconds: nodeSeconds,
      maxAgentNodes: this.maxLive,
      events: this.events,
      ...(this.model.api ? { api: this.apiResult(horizon) } : {}),
    };
  }

  // ---- the API ----------------------------------------------------------------------------

  private startApi(): void {
    const api = this.model.api!;
    // Nodes present at the start have the API image; the API runs at its minimum, Ready.
    for (let i = 0; i < api.pool.initial; i++) this.addApiNode(0, true);
    this.apiTarget = api.min;
    this.apiMaxReplicas = api.min;
    for (let i = 0; i < api.min; i++) {
      const pod: ApiPod = { state: 'pending', triedAndFailed: false };
      this.apiPods.push(pod);
      const node = this.bestApiNode();
      if (node) {
        this.placeApiPod(pod, node);
        pod.state = 'ready';
        pod.readyAt = 0;
        this.apiReady++;
      }
    }
    this.updateApiLoad(0);
    this.queue.push(0, { k: 'apiSync' });
  }

  private addApiNode(t: number, ready: boolean): Node {
    const node: Node = { id: this.apiNodes.length, createdAt: t, ready, cpu: 0, memory: 0, pods: 0, sessionPods: 0 };
    if (ready) node.imageAt = 0;
    this.apiNodes.push(node);
    this.apiLive++;
    this.apiMaxLive = Math.max(this.apiMaxLive, this.apiLive);
    return node;
  }

  /** Requests per second the Ready replicas serve at the most: each up to its maximum, each node up to its CPU. */
  private apiCapacity(): number {
    if (this.apiCapacityCache !== undefined) return this.apiCapacityCache;
    const api = this.model.api!;
    const perNode = new Map<Node, number>();
    for (const p of this.apiPods) if (p.state === 'ready') perNode.set(p.node!, (perNode.get(p.node!) ?? 0) + 1);
    const nodeMax = api.pool.allocatable.cpu / api.cpuPerRequest;
    let capacity = 0;
    for (const ready of perNode.values()) capacity += Math.min(ready * api.replicaMaxRps, nodeMax);
    this.apiCapacityCache = capacity;
    return capacity;
  }

  /** The API's demand changed (a session started, became Ready or ended) or its capacity did. */
  private updateApiLoad(t: number): void {
    const api = this.model.api;
    if (!api) return;
    this.apiLoad!.set(t, this.starting * api.startingRps + this.running * api.activeRps, this.apiCapacity());
  }

  private apiSync(t: number): void {
    const api = this.model.api!;
    const load = this.apiLoad!;
    load.advance(t);
    const ready = this.apiReady;
    let starting = 0;
    for (const p of this.apiPods) if (p.state === 'starting') starting++;
    const cpuRps = load.servedRate(t, api.cpuWindowSeconds);
    // The HPA reads whole percent of CPU and milli-units of a pods metric.
    const utilization = ready > 0 ? Math.trunc((cpuRps * api.cpuPerRequest * 100) / (ready * api.pod.cpu)) : NaN;
    let recommended = this.apiTarget;
    if (ready > 0) {
      const current = this.apiTarget;
      const tolerance = api.tolerance;
      let proposed = -1;
      if (api.cpuTarget !== undefined) {
        const missingRatio = Math.max(100, api.cpuTarget) / api.cpuTarget;
        const ratio = utilization / api.cpuTarget;
        proposed = replicasForMetric({ ratio, ready, unready: starting, missing: 0, missingRatio, current, tolerance });
      }
      if (api.rpsTarget !== undefined) {
        const perPod = Math.floor((load.servedRate(t, api.rpsWindowSeconds) / ready) * 1000) / 1000;
        const ratio = perPod / api.rpsTarget;
        const replicas = replicasForMetric({
          ratio,
          ready,
          unready: 0,
          missing: starting,
          missingRatio: 1,
          current,
          tolerance,
        });
        proposed = Math.max(proposed, replicas);
      }
      if (proposed >= 0) recommended = proposed;
    }
    if (recommended > api.max) {
      this.hit('API max', t, `the API's HPA wanted ${recommended} replicas, controlPlaneApi.replicas.max ${api.max}`);
    }
    const next = hpaDecision(
      { now: t, current: this.apiTarget, recommended, min: api.min, max: api.max, behavior: api.behavior },
      this.apiHpaMemory,
    );
    if (next > this.apiTarget) this.apiFirstScaleUp ??= t;
    if (next !== this.apiTarget) {
      this.apiTarget = next;
      this.apiMaxReplicas = Math.max(this.apiMaxReplicas, next);
      this.reconcileApi(t);
    }
    this.apiSyncs.push({
      time: t,
      replicas: this.apiTarget,
      ready,
      demandRps: load.demandRate,
      servedRps: cpuRps,
      cpuUtilization: utilization,
      delay: load.delay(t),
    });
  }

  /** The API Deployment's ReplicaSet: creates or deletes pods towards the HPA's replicas. */
  private reconcileApi(t: number): void {
    while (this.apiPods.length < this.apiTarget) {
      this.apiPods.push({ state: 'pending', triedAndFailed: false });
      this.requestSchedule(t);
    }
    let removedReady = false;
    while (this.apiPods.length > this.apiTarget) {
      // Unscheduled first, then not Ready, then Ready ones on the node with most API pods, newest first.
      const rank = (p: ApiPod) => (p.state === 'pending' ? 0 : p.state === 'starting' ? 1 : 2);
      let victim = 0;
      for (let i = 1; i < this.apiPods.length; i++) {
        const a = this.apiPods[i]!;
        const b = this.apiPods[victim]!;
        if (
          rank(a) < rank(b) ||
          (rank(a) === rank(b) &&
            ((a.node?.pods ?? 0) > (b.node?.pods ?? 0) ||
              ((a.node?.pods ?? 0) === (b.node?.pods ?? 0) && (a.readyAt ?? 0) >= (b.readyAt ?? 0))))
        ) {
          victim = i;
        }
      }
      const [pod] = this.apiPods.splice(victim, 1);
      if (pod!.state === 'ready') removedReady = true;
      this.deleteApiPod(pod!);
    }
    if (removedReady) this.updateApiLoad(t);
  }

  private placeApiPod(pod: ApiPod, node: Node): void {
    const shape = this.model.api!.pod;
    node.cpu += shape.cpu;
    node.memory += shape.memory;
    node.pods++;
    node.unneededSince = undefined;
    pod.node = node;
  }

  private deleteApiPod(pod: ApiPod): void {
    const node = pod.node;
    if (node && pod.state !== 'gone') {
      const shape = this.model.api!.pod;
      node.cpu -= shape.cpu;
      node.memory -= shape.memory;
      node.pods--;
    }
    if (pod.state === 'ready') {
      this.apiReady--;
      this.apiCapacityCache = undefined;
    }
    pod.state = 'gone';
  }

  private bestApiNode(): Node | undefined {
    const api = this.model.api!;
    const a = api.pool.allocatable;
    let best: Node | undefined;
    let bestScore = -Infinity;
    for (const n of this.apiNodes) {
      if (!n.ready || n.removedAt !== undefined) continue;
      if (n.cpu + api.pod.cpu > a.cpu || n.memory + api.pod.memory > a.memory || n.pods + 1 > api.pool.maxPods)
        continue;
      // Least allocated; on the API pool that is also the node with the fewest API pods (the
      // Deployment's preferred anti-affinity).
      const score = (a.cpu - n.cpu) / a.cpu + (a.memory - n.memory) / a.memory;
      if (score > bestScore) {
        best = n;
        bestScore = score;
      }
    }
    return best;
  }

  private scheduleApi(t: number): void {
    const timings = this.model.timings;
    for (const pod of this.apiPods) {
      if (pod.state !== 'pending') continue;
      const node = this.bestApiNode();
      if (!node) {
        // Identical pods: none of the rest fits either.
        for (const p of this.apiPods) if (p.state === 'pending') p.triedAndFailed = true;
        return;
      }
      this.placeApiPod(pod, node);
      pod.state = 'starting';
      const admitted = t + timings.schedulingSeconds;
      if (node.imageAt === undefined) node.imageAt = admitted + timings.apiImagePullSeconds;
      this.queue.push(Math.max(admitted, node.imageAt) + this.apiReadyDelay, { k: 'apiStarted', pod });
    }
  }

  private apiPodStarted(pod: ApiPod, t: number): void {
    if (pod.state !== 'starting') return;
    pod.state = 'ready';
    pod.readyAt = t;
    this.apiReady++;
    this.apiCapacityCache = undefined;
    this.updateApiLoad(t);
  }

  private apiScaleUp(t: number): void {
    const api = this.model.api!;
    const pool = api.pool;
    const unschedulable = this.apiPods.filter((p) => p.state === 'pending' && p.triedAndFailed).length;
    if (unschedulable === 0) return;
    const a = pool.allocatable;
    const fits = (cpu: number, memory: number, pods: number) =>
      Math.max(0, Math.min(Math.floor(cpu / api.pod.cpu), Math.floor(memory / api.pod.memory), pods));
    const perNode = fits(a.cpu, a.memory, pool.maxPods);
    if (perNode === 0) return; // never fits a node of this pool
    const live = this.apiNodes.filter((n) => n.removedAt === undefined);
    let rest = unschedulable;
    for (const n of live) rest -= fits(a.cpu - n.cpu, a.memory - n.memory, pool.maxPods - n.pods);
    if (rest <= 0) return;
    const needed = Math.ceil(rest / perNode);
    const room = Math.max(0, pool.max - live.length);
    const add = Math.min(needed, room);
    if (add < needed) {
      this.hit(
        'API pool max',
        t,
        `pool ${pool.name} needed ${needed} more nodes for API pods, ${room} left below its max of ${pool.max}`,
      );
    }
    for (let i = 0; i < add; i++) {
      const node = this.addApiNode(t, false);
      this.queue.push(t + this.model.timings.nodeProvisionSeconds, { k: 'nodeReady', node });
    }
    if (add > 0) this.lastScaleUp = t;
  }

  private apiScaleDown(t: number, removedOccupied: boolean): void {
    const ca = this.model.autoscaler;
    const api = this.model.api!;
    const a = api.pool.allocatable;
    const live = this.apiNodes.filter((n) => n.removedAt === undefined);
    let removable = live.length - api.pool.min;
    const empty: Node[] = [];
    let occupied: Node | undefined;
    for (const n of live) {
      const utilization = Math.max(n.cpu / a.cpu, n.memory / a.memory);
      if (!n.ready || utilization >= ca.utilizationThreshold) {
        n.unneededSince = undefined;
        continue;
      }
      n.unneededSince ??= t;
      if (t - n.unneededSince < ca.unneededSeconds) continue;
      if (n.pods === 0) empty.push(n);
      else if (!occupied && this.apiPodsMovable(n)) occupied = n;
    }
    for (const n of empty.slice(0, ca.maxEmptyBulkDelete)) {
      if (removable <= 0) return;
      this.removeApiNode(n, t);
      removable--;
    }
    if (occupied && removable > 0 && !removedOccupied) this.removeApiNode(occupied, t);
  }

  /** The node's API pods fit on the other Ready API nodes and the PodDisruptionBudget allows evicting them. */
  private apiPodsMovable(node: Node): boolean {
    const api = this.model.api!;
    const a = api.pool.allocatable;
    const mine = this.apiPods.filter((p) => p.node === node && p.state !== 'gone');
    const readyMine = mine.filter((p) => p.state === 'ready').length;
    if (this.apiReady - readyMine < api.pdbMinAvailable) return false;
    const others = this.apiNodes
      .filter((n) => n !== node && n.ready && n.removedAt === undefined)
      .map((n) => ({ cpu: n.cpu, memory: n.memory, pods: n.pods }));
    for (let i = 0; i < mine.length; i++) {
      const bin = others.find(
        (b) => b.cpu + api.pod.cpu <= a.cpu && b.memory + api.pod.memory <= a.memory && b.pods + 1 <= api.pool.maxPods,
      );
      if (!bin) return false;
      bin.cpu += api.pod.cpu;
      bin.memory += api.pod.memory;
      bin.pods++;
    }
    return true;
  }

  private removeApiNode(node: Node, t: number): void {
    node.removedAt = t;
    node.ready = false;
    this.apiLive--;
    const evicted = this.apiPods.filter((p) => p.node === node);
    if (evicted.length === 0) return;
    for (const pod of evicted) {
      this.apiPods.splice(this.apiPods.indexOf(pod), 1);
      this.deleteApiPod(pod);
    }
    this.updateApiLoad(t);
    this.reconcileApi(t);
  }

  private apiResult(horizon: number): ApiRun {
    this.apiLoad!.advance(horizon);
    let nodeSeconds = 0;
    for (const n of this.apiNodes) nodeSeconds += Math.min(n.removedAt ?? horizon, horizon) - n.createdAt;
    return {
      syncs: this.apiSyncs,
      nodeSeconds,
      maxNodes: this.apiMaxLive,
      maxReplicas: this.apiMaxReplicas,
      delayedSessions: this.apiDelayed,
      maxDelay: this.apiMaxDelay,
      saturatedSeconds: this.apiLoad!.saturatedSeconds,
      ...(this.apiFirstScaleUp === undefined ? {} : { firstScaleUpAt: this.apiFirstScaleUp }),
    };
  }
}
