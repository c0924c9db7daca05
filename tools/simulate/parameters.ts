/**
 * Every number the simulation assumes rather than reads from the environment, each with where
 * it comes from. An environment overrides any timing under `simulation.timings`
 * (config/simulation.ts); what it does set (KEDA polling and cooldown, the autoscaler's
 * unneeded time and utilization threshold, pool sizes, tiers, quota) is read from it instead.
 */
import type { SimulationTiming } from '../../config';
import type { Cloud } from '../../config/clouds';

export interface Parameter {
  readonly value: number;
  /** Upstream default (repository, file, version) or the assumption and how to measure it. */
  readonly source: string;
}

const TIMINGS: Record<Exclude<SimulationTiming, 'nodeProvisionSeconds'>, Parameter> = {
  hpaSyncSeconds: {
    value: 15,
    source:
      'kube-controller-manager --horizontal-pod-autoscaler-sync-period default 15s (kubernetes/kubernetes pkg/controller/podautoscaler/config/v1alpha1/defaults.go)',
  },
  autoscalerScanSeconds: {
    value: 10,
    source:
      'cluster-autoscaler --scan-interval default 10s (kubernetes/autoscaler cluster-autoscaler/FAQ.md; chart cluster-autoscaler 9.59.0 values.yaml extraArgs)',
  },
  scaleDownDelayAfterAddSeconds: {
    value: 600,
    source:
      'cluster-autoscaler --scale-down-delay-after-add default 10m (same sources); infra/addons/cluster-autoscaler.ts does not set it',
  },
  imagePullSeconds: {
    value: 30,
    source:
      'assumption: first pull of the agent image on a fresh node (a multi-hundred-MB image from ghcr.io); later pods on that node find it cached. Measure with `kubectl get events` (Pulling → Pulled)',
  },
  sandboxStartSeconds: {
    value: 2,
    source:
      'assumption: runsc creates the sandbox and the agent process starts (gVisor starts a sandbox in well under a second; the agent runtime itself dominates). Ready is then the first startup probe at or after it (agents.probes.startup)',
  },
  schedulingSeconds: {
    value: 1,
    source: 'assumption: kube-scheduler binds the pod and the kubelet admits it (sub-second on an idle control plane)',
  },
  warmClaimSeconds: {
    value: 1,
    source:
      'assumption: the orchestrator relabels a Ready warm pod out of the Deployment and creates its Service (two API calls)',
  },
  quotaRetrySeconds: {
    value: 10,
    source:
      'assumption: the orchestrator retries a pod creation the ResourceQuota refused (HTTP 403 exceeded quota) after this back-off',
  },
  apiImagePullSeconds: {
    value: 15,
    source:
      'assumption: first pull of the API image on a fresh API node (a Node.js image of a few hundred MB); nodes present at the start have it',
  },
  apiStartSeconds: {
    value: 10,
    source:
      'assumption: the API container starts and answers /healthz; Ready is then the first startup probe at or after it (controlPlaneApi.probes.startup). Measure with `kubectl get events` (Started → the pod Ready)',
  },
};

/** Node provisioning per cloud, in parts, so the sum can be checked against a measurement. */
export const NODE_PROVISIONING: Record<
  Cloud,
  { readonly parts: Readonly<Record<string, number>>; readonly source: string }
> = {
  hcloud: {
    parts: { serverCreate: 15, boot: 20, k3sAgentJoin: 35, runscInstall: 20 },
    source:
      'assumption (no upstream publishes it): Hetzner server create + boot + cloud-init installing the k3s agent and joining + runsc and the containerd template (infra/hcloud); measure one autoscaled node from the scale-up event to Ready',
  },
  aws: {
    parts: { instanceLaunch: 40, boot: 30, nodeadmJoin: 30, runscInstall: 20 },
    source:
      'assumption (no upstream publishes it): EKS managed node group scale-up: the Auto Scaling group launches the instance, AL2023 boots, nodeadm joins, runsc is installed by user data (infra/aws); measure one scale-up',
  },
};

const sum = (parts: Readonly<Record<string, number>>) => Object.values(parts).reduce((a, b) => a + b, 0);

/** The default of every timing on a cloud. */
export function defaultTimings(cloud: Cloud): Record<SimulationTiming, Parameter> {
  const provisioning = NODE_PROVISIONING[cloud];
  return {
    ...TIMINGS,
    nodeProvisionSeconds: {
      value: sum(provisioning.parts),
      source: `${Object.entries(provisioning.parts)
        .map(([k, v]) => `${k} ${v} s`)
        .join(' + ')}; ${provisioning.source}`,
    },
  };
}

/**
 * The HPA KEDA creates for the warm pool has no `behavior` in our ScaledObject
 * (charts-src/constructs/warm-pool.ts), so the Kubernetes defaults apply: scale up by
 * max(4 pods, 100 %) per 15 s without stabilization; scale down by up to 100 % per 15 s after
 * a 300 s stabilization window (kubernetes/kubernetes pkg/apis/autoscaling/v2/defaults.go:
 * scaleUpLimitPercent 100, scaleUpLimitMinimumPods 4, scaleUpPeriod 15; the controller's
 * --horizontal-pod-autoscaler-downscale-stabilization default 5m).
 */
export const KEDA_HPA_BEHAVIOR = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max' as const,
    policies: [
      { type: 'Pods' as const, value: 4, periodSeconds: 15 },
      { type: 'Percent' as const, value: 100, periodSeconds: 15 },
    ],
  },
  scaleDown: {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Max' as const,
    policies: [{ type: 'Percent' as const, value: 100, periodSeconds: 15 }],
  },
};

/** kubelet --max-pods default 110 (k3s and EKS AL2023 without prefix delegation keep it or lower). */
export const MAX_PODS_PER_NODE: Parameter = {
  value: 110,
  source: 'kubelet --max-pods default 110 (kubernetes/kubernetes pkg/kubelet/apis/config/v1beta1/defaults.go)',
};

/** cluster-autoscaler --max-empty-bulk-delete default 10 (FAQ.md). */
export const MAX_EMPTY_BULK_DELETE = 10;

/** Session length when the environment sets none (simulation.sessionMinutes). */
export const DEFAULT_SESSION_MINUTES = {
  median: 20,
  p90: 60,
  source: 'assumption: interactive agent sessions of tens of minutes; no seed states a number',
};

/**
 * The API's load from sessions and its capacity, when the environment sets none under
 * `simulation.api`. `replicaRequestsPerSecondAtTarget` defaults to the environment's own HPA
 * target `controlPlaneApi.autoscaling.requestsPerSecond` (model.ts), else to the value here.
 */
export const API_LOAD = {
  requestsPerSecondPerStartingSession: {
    value: 1,
    source:
      'assumption: while a user waits for a sandbox the dashboard polls the session about once a second and the orchestrator makes its calls; measure sum(rate(http_requests_total[5m])) against sessions in provisioning',
  },
  requestsPerSecondPerActiveSession: {
    value: 0.5,
    source:
      'assumption: a running session (dashboard, streamed agent output, the agent reporting to the API) makes a request every 2 s; measure sum(rate(http_requests_total[5m])) / running sessions off-peak',
  },
  replicaRequestsPerSecondAtTarget: {
    value: 50,
    source:
      'assumption: requests per second one API replica serves at the HPA CPU target; measure with a load test of one replica',
  },
} as const;

/** --horizontal-pod-autoscaler-tolerance default 0.1: no scaling while usage / target is within 10 %. */
export const HPA_TOLERANCE: Parameter = {
  value: 0.1,
  source:
    'kube-controller-manager --horizontal-pod-autoscaler-tolerance default 0.1 (kubernetes/kubernetes pkg/controller/podautoscaler/config/v1alpha1/defaults.go)',
};

/** The window of the CPU the HPA reads: metrics-server --metric-resolution. */
export const CPU_METRIC_WINDOW: Parameter = {
  value: 15,
  source:
    'metrics-server --metric-resolution=15s (chart metrics-server 3.13 values.yaml defaultArgs; k3s bundles it with the same flag)',
};

/**
 * The window of the requests-per-second metric: prometheus-adapter's rule
 * `rate(http_requests_total[2m])` (infra/addons/prometheus-adapter.ts REQUESTS_PER_SECOND_RULE).
 */
export const RPS_METRIC_WINDOW: Parameter = {
  value: 120,
  source: 'prometheus-adapter rule rate(http_requests_total[2m]) (infra/addons/prometheus-adapter.ts)',
};

/** The Istio sidecar's requests and limits (infra/addons/istiod.ts SIDECAR), added to a meshed API pod. */
export const MESH_SIDECAR = {
  cpuMillis: 50,
  memoryBytes: 64 * 2 ** 20,
  limitsCpuMillis: 500,
  source: 'istio-proxy sidecar 50m/64Mi requests, 500m CPU limit (infra/addons/istiod.ts global.proxy.resources)',
} as const;
