/**
 * kube-prometheus-stack: the Prometheus operator (and its CRDs), Prometheus,
 * Alertmanager and kube-state-metrics in the monitoring namespace (restricted);
 * the node exporter in its own privileged node-monitoring namespace. Prometheus
 * selects every ServiceMonitor/PodMonitor/PrometheusRule in the cluster, so the
 * platform's monitoring objects in dist/ are picked up without a Helm label.
 */
import { namespaceOf } from '../../config';
import {
  TOLERATE_EVERYTHING,
  haReplicas,
  pod,
  resources,
  restrictedContainer,
  restrictedPod,
  systemPlacement,
} from './common';
import { alertmanagerConfig, alertmanagerSecrets } from './alertmanager-config';
import type { AddonDefinition } from './types';

/** `fullnameOverride`: fixes the object names other add-ons refer to. */
export const KUBE_PROMETHEUS_STACK_FULLNAME = 'kube-prometheus-stack';
/** The Prometheus Service the operator creates (`<fullname>-prometheus`). */
export const prometheusServiceName = `${KUBE_PROMETHEUS_STACK_FULLNAME}-prometheus`;
export const PROMETHEUS_PORT = 9090;

const OPERATOR = resources('100m', '128Mi', '500m', '512Mi');
const PROMETHEUS = resources('500m', '2Gi', '2', '8Gi');
const ALERTMANAGER = resources('50m', '128Mi', '200m', '256Mi');
const KUBE_STATE_METRICS = resources('50m', '128Mi', '200m', '512Mi');
const NODE_EXPORTER = resources('50m', '64Mi', '200m', '128Mi');
const WEBHOOK_JOB = resources('10m', '32Mi', '100m', '64Mi');
/** Alertmanager's silences and notification log: small, but they must survive a restart. */
export const ALERTMANAGER_STORAGE = '1Gi';

/** A PersistentVolumeClaim template of the size given, in the operator's `storage` shape. */
function volumeClaim(size: string) {
  return {
    volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } },
  };
}

export const kubePrometheusStack: AddonDefinition = {
  name: 'kubePrometheusStack',
  release: 'kube-prometheus-stack',
  purpose: 'Prometheus operator, Prometheus, Alertmanager, kube-state-metrics, node exporter',
  enabled: (spec) => spec.addons.kubePrometheusStack.enabled,
  chartVersionOverride: (spec) => spec.addons.kubePrometheusStack.chartVersion,
  namespace: (spec) => namespaceOf(spec, 'monitoring').name,
  otherNamespaces: (spec) => [namespaceOf(spec, 'node-monitoring').name],
  // Prometheus and Alertmanager keep their data on volumes: the CSI driver first (Hetzner).
  dependsOn: () => ['hcloudCsi'],
  crdGroups: ['monitoring.coreos.com'],
  // The operator's webhook validates PrometheusRules.
  admissionWebhooks: () => true,
  // node exporter must see every node (agent pools included); the rest runs on the system pool.
  placement: 'every-node',
  // The admission-webhook patch Jobs run once at install and are not counted.
  pods: (spec) => [
    pod('operator', 1, OPERATOR),
    pod('prometheus', haReplicas(spec), PROMETHEUS),
    pod('alertmanager', spec.addons.kubePrometheusStack.alertmanagerReplicas, ALERTMANAGER),
    pod('kube-state-metrics', 1, KUBE_STATE_METRICS),
    pod('node-exporter', 'per-node', NODE_EXPORTER),
  ],
  values: ({ spec }) => {
    const settings = spec.addons.kubePrometheusStack;
    const placement = systemPlacement(spec);
    const pod = restrictedPod(65534);
    const container = restrictedContainer();
    return {
      fullnameOverride: KUBE_PROMETHEUS_STACK_FULLNAME,
      crds: { enabled: true },
      // Dashboards are out of scope for the platform layer; enable Grafana per stack later.
      grafana: { enabled: false },
      // k3s and EKS do not expose these components to in-cluster scraping.
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeProxy: { enabled: false },
      kubeEtcd: { enabled: false },
      prometheusOperator: {
        ...placement,
        resources: OPERATOR,
        securityContext: pod,
        containerSecurityContext: container,
        admissionWebhooks: {
          deployment: { ...placement },
          patch: { ...placement, resources: WEBHOOK_JOB, securityContext: pod },
        },
      },
      prometheus: {
        prometheusSpec: {
          ...placement,
          replicas: haReplicas(spec),
          retention: settings.retention,
          resources: PROMETHEUS,
          securityContext: { ...pod, runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000 },
          // Select every monitoring object in the cluster, not only this release's.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
          storageSpec: volumeClaim(settings.storage),
        },
      },
      alertmanager: {
        // Receivers from alerting.receivers, credentials read from mounted Secrets (alertmanager-config.ts).
        ...(alertmanagerConfig(spec) ? { config: alertmanagerConfig(spec) } : {}),
        alertmanagerSpec: {
          ...placement,
          replicas: settings.alertmanagerReplicas,
          resources: ALERTMANAGER,
          securityContext: { ...pod, runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000 },
          // Without it the operator gives Alertmanager an emptyDir (kube-prometheus-stack 79.5.0
          // values.yaml alertmanager.alertmanagerSpec.storage: {}): silences vanish on restart.
          storage: volumeClaim(ALERTMANAGER_STORAGE),
          secrets: alertmanagerSecrets(spec),
        },
      },
      'kube-state-metrics': {
        ...placement,
        resources: KUBE_STATE_METRICS,
        securityContext: { ...pod, enabled: true },
        containerSecurityContext: container,
      },
      'prometheus-node-exporter': {
        namespaceOverride: namespaceOf(spec, 'node-monitoring').name,
        resources: NODE_EXPORTER,
        tolerations: TOLERATE_EVERYTHING,
      },
    };
  },
};
