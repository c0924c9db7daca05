/**
 * falcosidekick: receives Falco's events over HTTP and posts them to Alertmanager,
 * so a runtime-security event reaches the same receivers as every other alert.
 * Installed as its own release (chart 0.14.0; Falco 7.0.1's bundled sub-chart is
 * 0.11.*) in the restricted monitoring namespace, next to Alertmanager.
 *
 * Alertmanager 0.27 removed its v1 API, and kube-prometheus-stack 79.5.0 ships
 * v0.29.0, so events go to `/api/v2/alerts`. falcosidekick labels each alert with
 * `priority`, `rule`, `source: falco` and `severity` (critical for Critical and
 * above): falcosecurity/falcosidekick outputs/alertmanager.go.
 *
 * Values checked against falcosecurity/charts charts/falcosidekick 0.14.0.
 */
import {
  EDGE_ADDON_PORTS,
  FALCO_EVENT_ALERT,
  falcosidekickEnabled,
  namespaceOf,
  type EnvironmentSpec,
} from '../../config';
import { haReplicas, pod, resources, restrictedContainer, restrictedPod, systemPlacement } from './common';
import { KUBE_PROMETHEUS_STACK_FULLNAME } from './kube-prometheus-stack';
import type { AddonDefinition } from './types';

export const FALCOSIDEKICK_RELEASE = 'falcosidekick';
/** Events in and /metrics (chart: containerPort 2801, Service `falcosidekick`). */
export const FALCOSIDEKICK_PORT = EDGE_ADDON_PORTS.falcosidekick.http;
export const ALERTMANAGER_PORT = EDGE_ADDON_PORTS.alertmanager.api;
/** Warning and Error events arrive as `severity: warning`, Critical and above as `severity: critical`. */
const MINIMUM_PRIORITY = 'warning';
const SIDEKICK = resources('20m', '32Mi', '200m', '128Mi');

/** The URL Falco posts its events to. */
export const falcosidekickUrl = (spec: EnvironmentSpec) =>
  `http://${FALCOSIDEKICK_RELEASE}.${namespaceOf(spec, 'monitoring').name}.svc:${FALCOSIDEKICK_PORT}/`;

/** Alertmanager's Service (kube-prometheus-stack: `<fullname>-alertmanager`). */
export const alertmanagerUrl = (spec: EnvironmentSpec) =>
  `http://${KUBE_PROMETHEUS_STACK_FULLNAME}-alertmanager.${namespaceOf(spec, 'monitoring').name}.svc:${ALERTMANAGER_PORT}`;

export const falcosidekick: AddonDefinition = {
  name: 'falcosidekick',
  release: FALCOSIDEKICK_RELEASE,
  purpose: 'security events: Falco events to Alertmanager',
  enabled: (spec) => falcosidekickEnabled(spec),
  chartVersionOverride: (spec) => spec.addons.falcosidekick.chartVersion,
  namespace: (spec) => namespaceOf(spec, 'monitoring').name,
  dependsOn: () => ['kubePrometheusStack'],
  crdGroups: [],
  usesCrdGroups: () => ['monitoring.coreos.com'],
  admissionWebhooks: () => false,
  placement: 'system',
  pods: (spec) => [pod('falcosidekick', haReplicas(spec), SIDEKICK)],
  values: ({ spec }) => ({
    fullnameOverride: FALCOSIDEKICK_RELEASE,
    replicaCount: haReplicas(spec),
    ...systemPlacement(spec),
    resources: SIDEKICK,
    podSecurityContext: restrictedPod(1234),
    securityContext: restrictedContainer(),
    serviceMonitor: { enabled: true },
    config: {
      alertmanager: {
        hostport: alertmanagerUrl(spec),
        endpoint: '/api/v2/alerts',
        minimumpriority: MINIMUM_PRIORITY,
        // Alerts resolve on their own; a repeat of the event fires again.
        expireafter: '3600',
        // One alert name for every event (the receivers' templates link its runbook).
        extralabels: `alertname:${FALCO_EVENT_ALERT},environment:${spec.name}-${spec.stack}`,
      },
    },
  }),
};
