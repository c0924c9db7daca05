/**
 * A stateless HTTP service as the platform runs it: Deployment, Service, its own
 * ServiceAccount, HorizontalPodAutoscaler (autoscaling/v2), PodDisruptionBudget,
 * VerticalPodAutoscaler in recommendation mode, ServiceMonitor and the service's
 * NetworkPolicies. The control-plane API and every `services[]` entry use it.
 *
 * Built from L1 objects rather than cdk8s-plus: the Deployment must not carry
 * `spec.replicas` (the HPA owns it; cdk8s-plus always writes one), and every
 * security, probe and scheduling field is spelled out for review.
 */
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  DEFAULT_PDB_MIN_AVAILABLE,
  imageRef,
  minAvailableBlocksDrain,
  type Resources,
  type ScalingRules,
} from '../../config';
import { ServiceMonitor } from '../../imports/prometheus-servicemonitors-monitoring.coreos.com';
import {
  VerticalPodAutoscaler,
  VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesControlledValues as ControlledValues,
  VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMaxAllowed as MaxAllowed,
  VerticalPodAutoscalerSpecUpdatePolicyUpdateMode as UpdateMode,
} from '../../imports/vpa-autoscaling.k8s.io';
import { HTTP_PORT_NAME, METRICS_PORT_NAME } from '../names';
import { KedaServiceScaler, type ServiceKedaScaling } from './keda-service-scaler';
import { SCRATCH_SIZE_LIMIT, scratchVolumes, type PodScheduling } from './workload-identity';
import { fail, requireDnsLabel, requireInt, requirePort, requireResources } from './construct-input';
import { flowPolicy, peer, type NetworkFlow, type NetworkPeer } from './network-flow';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';

export type { ServiceKedaScaling } from './keda-service-scaler';

/** One HTTP probe on the container's `http` port (for kind `worker`, only the timing is used). */
export interface HttpProbe {
  /** Request path, e.g. `/healthz`. */
  readonly path: string;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly initialDelaySeconds: number;
  readonly timeoutSeconds: number;
}

export interface ServiceAutoscaling {
  /** Target average CPU utilization (% of requests). @default - no CPU metric */
  readonly cpuUtilization?: number;
  /** Target average memory utilization (% of requests). @default - no memory metric */
  readonly memoryUtilization?: number;
  /** Pods metric `http_requests_per_second`, average per pod (needs prometheus-adapter). @default - none */
  readonly requestsPerSecond?: number;
  /** External metrics (AverageValue per pod), served by an external metrics adapter. @default [] */
  readonly external?: readonly {
    readonly metric: string;
    readonly selector: Readonly<Record<string, string>>;
    readonly averageValue: string;
  }[];
  /** Scale-up / scale-down policies. @default - the Kubernetes defaults */
  readonly behavior?: { readonly scaleUp: ScalingRules; readonly scaleDown: ScalingRules };
}

/** An egress the service needs: one NetworkPolicy from the service's pods. */
export interface ServiceEgress {
  /** Policy name suffix: the policy is `<service>-allow-<name>`. */
  readonly name: string;
  readonly description: string;
  readonly peers: readonly NetworkPeer[];
  readonly ports: NonNullable<NetworkFlow['ports']>;
}

export interface StatelessServiceProps {
  /** Object name of the Deployment, Service, HPA, PDB, VPA and monitor. */
  readonly name: string;
  /**
   * `http`: serves on `port` (Service, HTTP probes, ingress policy). `worker`: a queue
   * consumer with no Service and no ingress; probes run `probeCommand`. @default 'http'
   */
  readonly kind?: 'http' | 'worker';
  /** Exec probe command; required for kind `worker`. @default - HTTP probes */
  readonly probeCommand?: readonly string[];
  /** NVIDIA GPUs per pod (`nvidia.com/gpu` requests and limits). @default 0 */
  readonly gpus?: number;
  /** Scale with a KEDA ScaledObject instead of an HPA. @default - an HPA */
  readonly keda?: ServiceKedaScaling;
  /** Namespace of every object (the caller's egress policies excepted). */
  readonly namespace: string;
  /** Pinned image reference (never `latest`, never untagged). */
  readonly image: string;
  /** HTTP port of the container and the Service. @default 8080 */
  readonly port?: number;
  /** Port serving Prometheus metrics at /metrics. @default - same as `port` */
  readonly metricsPort?: number;
  /** Non-zero UID (and GID) the pod runs as. @default 10001 */
  readonly runAsUser?: number;
  /** Autoscaler bounds. The Deployment has no `spec.replicas`: the HPA owns it. */
  readonly replicas: { readonly min: number; readonly max: number };
  /** Requests and limits of the container (limits >= requests); the VPA's maxAllowed is the limits. */
  readonly resources: Resources;
  /** HPA metrics and behaviour. @default - CPU 70 %, memory 80 %, Kubernetes default behaviour */
  readonly autoscaling?: ServiceAutoscaling;
  /** PDB minAvailable; must stay below replicas.min or no node could ever be drained. @default 2 (the model's default) */
  readonly pdbMinAvailable?: number;
  /** Startup, liveness and readiness probes. @default - startup /healthz every 5 s × 12, liveness /healthz, readiness /readyz every 5 s */
  readonly probes?: { readonly startup: HttpProbe; readonly liveness: HttpProbe; readonly readiness: HttpProbe };
  /** Writable emptyDir mounts; the root filesystem is read-only. @default ['/tmp'] */
  readonly scratchPaths?: readonly string[];
  /** sizeLimit of each scratch emptyDir. @default '1Gi' */
  readonly scratchSizeLimit?: string;
  /** Plain environment variables. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Secrets read by name: each key becomes an env var of the same name (never a value here). @default [] */
  readonly secrets?: readonly { readonly name: string; readonly keys: readonly string[] }[];
  /** nodeSelector and tolerations of the pool the pods belong on. @default - none */
  readonly scheduling?: PodScheduling;
  /** PriorityClass of the pods. @default - none (priority 0) */
  readonly priorityClassName?: string;
  /** ServiceAccount the pods run as (created here). @default - `name` */
  readonly serviceAccountName?: string;
  /** Mount an API token: only for services that call the Kubernetes API. @default false */
  readonly automountServiceAccountToken?: boolean;
  /** Extra pod labels (the selector labels always win). @default {} */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Extra pod annotations. @default {} */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Emit a VerticalPodAutoscaler in updateMode Off (needs the VPA add-on). @default true */
  readonly verticalPodAutoscaler?: boolean;
  /** Emit a ServiceMonitor with these labels (needs the Prometheus operator). @default - no ServiceMonitor */
  readonly serviceMonitor?: { readonly labels: Readonly<Record<string, string>> };
  /**
   * The namespace is in the Istio mesh (STRICT mTLS): Prometheus, outside the mesh,
   * scrapes the sidecar's merged metrics on 15020 instead of the app port.
   * @default false
   */
  readonly mesh?: boolean;
  /** Who may call the HTTP port. @default - pods of the same namespace */
  readonly ingressFrom?: readonly NetworkPeer[];
  /** Prometheus pods allowed to scrape the metrics port. @default - no scrape policy */
  readonly prometheus?: NetworkPeer;
  /** Destinations the pods may reach besides DNS (the namespace guardrails allow DNS). @default [] */
  readonly egress?: readonly ServiceEgress[];
}

/** Istio's merged Prometheus endpoint (app + Envoy metrics), served by the sidecar agent outside mTLS. */
export const ISTIO_MERGED_METRICS_PORT = 15020;
const MERGED_METRICS_PORT_NAME = 'http-merged-metrics';

const DEFAULT_PROBES = {
  startup: { path: '/healthz', periodSeconds: 5, failureThreshold: 12, initialDelaySeconds: 0, timeoutSeconds: 3 },
  liveness: { path: '/healthz', periodSeconds: 10, failureThreshold: 3, initialDelaySeconds: 0, timeoutSeconds: 3 },
  readiness: { path: '/readyz', periodSeconds: 5, failureThreshold: 3, initialDelaySeconds: 0, timeoutSeconds: 3 },
};
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Deployment + Service + SA + HPA + PDB + VPA + ServiceMonitor + NetworkPolicies for one stateless service. */
export class StatelessService extends Construct {
  /** The Deployment. */
  readonly resource: ApiObject;
  /** The Service (absent for kind `worker`). */
  readonly service?: ApiObject;
  readonly serviceAccount: ApiObject;
  readonly autoscaler: ApiObject;
  readonly disruptionBudget: ApiObject;
  readonly verticalAutoscaler?: ApiObject;
  readonly monitor?: ApiObject;
  readonly policies: ApiObject[] = [];
  /** Labels the Deployment selects its pods by. */
  readonly selectorLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: StatelessServiceProps) {
    super(scope, id);
    const { name, namespace } = props;
    requireDnsLabel(this, 'name', name);
    requireDnsLabel(this, 'namespace', namespace);
    const image = imageRef.safeParse(props.image);
    if (!image.success) fail(this, 'image', props.image, image.error.issues[0]!.message);
    const port = props.port ?? 8080;
    const metricsPort = props.metricsPort ?? port;
    requirePort(this, 'port', port);
    requirePort(this, 'metricsPort', metricsPort);
    const uid = props.runAsUser ?? 10001;
    requireInt(this, 'runAsUser', uid, 1);
    requireInt(this, 'replicas.min', props.replicas.min, 1);
    requireInt(this, 'replicas.max', props.replicas.max, 1);
    if (props.replicas.min > props.replicas.max) {
      fail(this, 'replicas.min', props.replicas.min, `must be <= replicas.max (${props.replicas.max})`);
    }
    requireResources(this, 'resources', props.resources);
    const pdbMinAvailable = props.pdbMinAvailable ?? DEFAULT_PDB_MIN_AVAILABLE;
    requireInt(this, 'pdbMinAvailable', pdbMinAvailable, 1);
    if (minAvailableBlocksDrain(pdbMinAvailable, props.replicas.min)) {
      fail(
        this,
        'pdbMinAvailable',
        pdbMinAvailable,
        `must be < replicas.min (${props.replicas.min}): a PDB at the autoscaler floor blocks every node drain`,
      );
    }
    const autoscaling = props.autoscaling ?? { cpuUtilization: 70, memoryUtilization: 80 };
    const kind = props.kind ?? 'http';
    if (kind === 'worker' && (!props.probeCommand || props.probeCommand.length === 0)) {
      fail(this, 'probeCommand', props.probeCommand, 'is required for kind "worker" (exec liveness/readiness probe)');
    }
    const gpus = props.gpus ?? 0;
    requireInt(this, 'gpus', gpus, 0);
    const mesh = props.mesh ?? false;
    const serviceAccountName = props.serviceAccountName ?? name;
    requireDnsLabel(this, 'serviceAccountName', serviceAccountName);

    this.selectorLabels = { 'app.kubernetes.io/name': name };
    const podLabels = { ...(props.podLabels ?? {}), ...this.selectorLabels };
    const annotations: Record<string, string> = { ...(props.podAnnotations ?? {}) };
    if (mesh) {
      // Istio rewrites these to its merged endpoint (15020) and scrapes the app's port itself.
      annotations['prometheus.io/scrape'] = 'true';
      annotations['prometheus.io/port'] = String(metricsPort);
      annotations['prometheus.io/path'] = '/metrics';
    }

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: serviceAccountName, namespace },
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    });

    const scratchPaths = props.scratchPaths ?? ['/tmp'];
    scratchPaths.forEach((path, i) => {
      if (!path.startsWith('/')) fail(this, `scratchPaths[${i}]`, path, 'must be an absolute path');
    });
    const scratch = scratchVolumes(scratchPaths, props.scratchSizeLimit ?? SCRATCH_SIZE_LIMIT);

    const env: k8s.EnvVar[] = Object.keys(props.env ?? {})
      .sort()
      .map((key) => {
        if (!ENV_NAME.test(key)) fail(this, `env["${key}"]`, key, 'must be an environment variable name');
        return { name: key, value: props.env![key]! };
      });
    (props.secrets ?? []).forEach((secret, i) => {
      requireDnsLabel(this, `secrets[${i}].name`, secret.name);
      secret.keys.forEach((key, j) => {
        if (!ENV_NAME.test(key)) {
          fail(this, `secrets[${i}].keys[${j}]`, key, 'must be usable as an environment variable name');
        }
        env.push({ name: key, valueFrom: { secretKeyRef: { name: secret.name, key } } });
      });
    });

    const probe = (p: HttpProbe): k8s.Probe => ({
      ...(kind === 'worker'
        ? { exec: { command: [...props.probeCommand!] } }
        : { httpGet: { path: p.path, port: k8s.IntOrString.fromString(HTTP_PORT_NAME) } }),
      periodSeconds: p.periodSeconds,
      failureThreshold: p.failureThreshold,
      initialDelaySeconds: p.initialDelaySeconds,
      timeoutSeconds: p.timeoutSeconds,
    });
    const probes = props.probes ?? DEFAULT_PROBES;
    const ports: k8s.ContainerPort[] =
      kind === 'http' ? [{ name: HTTP_PORT_NAME, containerPort: port, protocol: 'TCP' }] : [];
    if (metricsPort !== port || kind === 'worker') {
      ports.push({ name: METRICS_PORT_NAME, containerPort: metricsPort, protocol: 'TCP' });
    }
    const gpuQuantity: Record<string, k8s.Quantity> =
      gpus > 0 ? { 'nvidia.com/gpu': k8s.Quantity.fromNumber(gpus) } : {};

    const q = (v: string) => k8s.Quantity.fromString(v);
    this.resource = new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name, namespace },
      spec: {
        // No `replicas`: the HPA (or KEDA's HPA) owns the field (server-side apply would fight it).
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selectorLabels },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) },
        },
        template: {
          metadata: { labels: podLabels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
          spec: {
            serviceAccountName,
            automountServiceAccountToken: props.automountServiceAccountToken ?? false,
            enableServiceLinks: false,
            ...(props.priorityClassName ? { priorityClassName: props.priorityClassName } : {}),
            securityContext: restrictedPodSecurityContext(uid),
            ...(props.scheduling ? { nodeSelector: { ...props.scheduling.nodeSelector } } : {}),
            ...(props.scheduling && props.scheduling.tolerations.length > 0
              ? { tolerations: props.scheduling.tolerations.map((t) => ({ ...t })) }
              : {}),
            // One pod per zone before any zone gets a second (maxSkew 1); zones are hard, hosts soft:
            // a required host anti-affinity would cap the HPA at the number of nodes in the pool.
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'DoNotSchedule',
                labelSelector: { matchLabels: this.selectorLabels },
              },
            ],
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      topologyKey: 'kubernetes.io/hostname',
                      labelSelector: { matchLabels: this.selectorLabels },
                    },
                  },
                ],
              },
            },
            containers: [
              {
                name,
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                ports,
                ...(env.length > 0 ? { env } : {}),
                resources: {
                  requests: {
                    cpu: q(props.resources.requests.cpu),
                    memory: q(props.resources.requests.memory),
                    ...gpuQuantity,
                  },
                  limits: {
                    cpu: q(props.resources.limits.cpu),
                    memory: q(props.resources.limits.memory),
                    ...gpuQuantity,
                  },
                },
                securityContext: restrictedContainerSecurityContext(uid),
                startupProbe: probe(probes.startup),
                livenessProbe: probe(probes.liveness),
                readinessProbe: probe(probes.readiness),
                volumeMounts: scratch.mounts,
              },
            ],
            volumes: scratch.volumes,
          },
        },
      },
    });

    const servicePorts: k8s.ServicePort[] = [
      { name: HTTP_PORT_NAME, port, targetPort: k8s.IntOrString.fromString(HTTP_PORT_NAME), protocol: 'TCP' },
    ];
    if (metricsPort !== port && kind === 'http') {
      servicePorts.push({
        name: METRICS_PORT_NAME,
        port: metricsPort,
        targetPort: k8s.IntOrString.fromString(METRICS_PORT_NAME),
        protocol: 'TCP',
      });
    }
    if (mesh) {
      servicePorts.push({
        name: MERGED_METRICS_PORT_NAME,
        port: ISTIO_MERGED_METRICS_PORT,
        targetPort: k8s.IntOrString.fromNumber(ISTIO_MERGED_METRICS_PORT),
        protocol: 'TCP',
      });
    }
    if (kind === 'http') {
      this.service = new k8s.KubeService(this, 'Service', {
        metadata: { name, namespace, labels: this.selectorLabels },
        spec: { type: 'ClusterIP', selector: this.selectorLabels, ports: servicePorts },
      });
    }

    this.autoscaler = props.keda
      ? new KedaServiceScaler(this, 'Autoscaler', {
          name,
          namespace,
          replicas: props.replicas,
          scaling: props.keda,
        }).resource
      : new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
          metadata: { name, namespace },
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
            minReplicas: props.replicas.min,
            maxReplicas: props.replicas.max,
            metrics: this.metrics(autoscaling),
            ...(autoscaling.behavior ? { behavior: this.behavior(autoscaling.behavior) } : {}),
          },
        });

    this.disruptionBudget = new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: { name, namespace },
      spec: {
        minAvailable: k8s.IntOrString.fromNumber(pdbMinAvailable),
        selector: { matchLabels: this.selectorLabels },
      },
    });

    if (props.verticalPodAutoscaler ?? true) {
      // Recommendations only: the HPA already scales on CPU and memory; a VPA in Auto would fight it.
      this.verticalAutoscaler = new VerticalPodAutoscaler(this, 'VerticalAutoscaler', {
        metadata: { name, namespace },
        spec: {
          targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          updatePolicy: { updateMode: UpdateMode.OFF },
          resourcePolicy: {
            containerPolicies: [
              {
                containerName: name,
                controlledResources: ['cpu', 'memory'],
                controlledValues: ControlledValues.REQUESTS_ONLY,
                maxAllowed: {
                  cpu: MaxAllowed.fromString(props.resources.limits.cpu),
                  memory: MaxAllowed.fromString(props.resources.limits.memory),
                },
              },
            ],
          },
        },
      });
    }

    if (props.serviceMonitor && kind === 'http') {
      this.monitor = new ServiceMonitor(this, 'Monitor', {
        metadata: { name, namespace, labels: { ...props.serviceMonitor.labels } },
        spec: {
          selector: { matchLabels: this.selectorLabels },
          endpoints: [
            mesh
              ? { port: MERGED_METRICS_PORT_NAME, path: '/stats/prometheus', interval: '30s' }
              : { port: metricsPort === port ? HTTP_PORT_NAME : METRICS_PORT_NAME, path: '/metrics', interval: '30s' },
          ],
        },
      });
    }

    const ingressFrom = kind === 'http' ? (props.ingressFrom ?? [peer.sameNamespace()]) : [];
    if (ingressFrom.length > 0) {
      this.policies.push(
        flowPolicy(this, 'AllowIngress', namespace, {
          name: `${name}-allow-ingress`,
          description: `callers of ${name} reach its HTTP port`,
          direction: 'ingress',
          pods: this.selectorLabels,
          peers: ingressFrom,
          ports: [{ port }],
        }),
      );
    }
    if (props.prometheus) {
      this.policies.push(
        flowPolicy(this, 'AllowPrometheus', namespace, {
          name: `${name}-allow-prometheus`,
          description: `Prometheus scrapes ${name}${mesh ? ' through the sidecar merged-metrics port' : ''}`,
          direction: 'ingress',
          pods: this.selectorLabels,
          peers: [props.prometheus],
          ports: mesh ? [{ port: metricsPort }, { port: ISTIO_MERGED_METRICS_PORT }] : [{ port: metricsPort }],
        }),
      );
    }
    const seen = new Set<string>();
    for (const e of props.egress ?? []) {
      if (seen.has(e.name)) fail(this, 'egress[].name', e.name, 'must be unique');
      seen.add(e.name);
      this.policies.push(
        flowPolicy(this, `AllowEgress-${e.name}`, namespace, {
          name: `${name}-allow-${e.name}`,
          description: e.description,
          direction: 'egress',
          pods: this.selectorLabels,
          peers: e.peers,
          ports: e.ports,
        }),
      );
    }
  }

  private metrics(a: ServiceAutoscaling): k8s.MetricSpecV2[] {
    const metrics: k8s.MetricSpecV2[] = [];
    const resource = (resourceName: 'cpu' | 'memory', value: number) => {
      requireInt(this, `autoscaling.${resourceName}Utilization`, value, 1, 100);
      metrics.push({
        type: 'Resource',
        resource: { name: resourceName, target: { type: 'Utilization', averageUtilization: value } },
      });
    };
    if (a.cpuUtilization !== undefined) resource('cpu', a.cpuUtilization);
    if (a.memoryUtilization !== undefined) resource('memory', a.memoryUtilization);
    if (a.requestsPerSecond !== undefined) {
      requireInt(this, 'autoscaling.requestsPerSecond', a.requestsPerSecond, 1);
      metrics.push({
        type: 'Pods',
        pods: {
          metric: { name: 'http_requests_per_second' },
          target: { type: 'AverageValue', averageValue: k8s.Quantity.fromString(String(a.requestsPerSecond)) },
        },
      });
    }
    (a.external ?? []).forEach((e, i) => {
      metrics.push({
        type: 'External',
        external: {
          metric: {
            name: e.metric,
            ...(Object.keys(e.selector).length > 0 ? { selector: { matchLabels: { ...e.selector } } } : {}),
          },
          target: { type: 'AverageValue', averageValue: k8s.Quantity.fromString(e.averageValue) },
        },
      });
      if (!e.metric) fail(this, `autoscaling.external[${i}].metric`, e.metric, 'must name a metric');
    });
    if (metrics.length === 0) {
      fail(
        this,
        'autoscaling',
        a,
        'must set at least one of cpuUtilization, memoryUtilization, requestsPerSecond, external',
      );
    }
    return metrics;
  }

  private behavior(b: { scaleUp: ScalingRules; scaleDown: ScalingRules }): k8s.HorizontalPodAutoscalerBehaviorV2 {
    const rules = (field: string, r: ScalingRules): k8s.HpaScalingRulesV2 => {
      requireInt(this, `${field}.stabilizationWindowSeconds`, r.stabilizationWindowSeconds, 0, 3600);
      if (r.policies.length === 0) fail(this, `${field}.policies`, r.policies, 'must list at least one policy');
      r.policies.forEach((p, i) => {
        requireInt(this, `${field}.policies[${i}].value`, p.value, 1);
        requireInt(this, `${field}.policies[${i}].periodSeconds`, p.periodSeconds, 1, 1800);
      });
      return {
        stabilizationWindowSeconds: r.stabilizationWindowSeconds,
        selectPolicy: r.selectPolicy,
        policies: r.policies.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds })),
      };
    };
    return {
      scaleUp: rules('autoscaling.behavior.scaleUp', b.scaleUp),
      scaleDown: rules('autoscaling.behavior.scaleDown', b.scaleDown),
    };
  }
}
