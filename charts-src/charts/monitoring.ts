import type { Construct } from 'constructs';
import { namespaceOf, runbookUrl, type EnvironmentSpec } from '../../config';
import {
  PrometheusRule,
  PrometheusRuleSpecGroupsRulesExpr as Expr,
} from '../../imports/prometheus-prometheusrules-monitoring.coreos.com';
import { MONITORING_SELECTOR_LABELS, PLATFORM_ALERTS } from '../names';
import type { AlertRule } from './alert-rule';
import { edgeAlertGroups } from './edge-alerts';
import { PlatformChart } from './platform-chart';

export type { AlertRule } from './alert-rule';

/** The platform's alerts, thresholds and durations from `spec.alerts`; metrics from kube-state-metrics and KEDA. */
export function platformAlerts(spec: EnvironmentSpec): { name: string; rules: AlertRule[] }[] {
  const a = spec.alerts;
  const groups: { name: string; rules: AlertRule[] }[] = [
    {
      name: 'platform.autoscaling',
      rules: [
        {
          alert: 'HpaAtMaxReplicas',
          expr:
            'kube_horizontalpodautoscaler_status_current_replicas' +
            ' >= on(namespace, horizontalpodautoscaler) kube_horizontalpodautoscaler_spec_max_replicas',
          for: a.hpaAtMaxFor,
          severity: 'warning',
          summary: 'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} is at its maximum',
          description: `The autoscaler has run at maxReplicas for ${a.hpaAtMaxFor}: demand may exceed what it may add. Raise replicas.max or capacity.`,
        },
      ],
    },
    {
      name: 'platform.capacity',
      rules: [
        {
          alert: 'ResourceQuotaNearlyFull',
          expr: `kube_resourcequota{type="used"} / ignoring(type) (kube_resourcequota{type="hard"} > 0) > ${a.quotaUsedRatio}`,
          for: a.quotaUsedFor,
          severity: 'warning',
          summary:
            'Quota {{ $labels.namespace }}/{{ $labels.resourcequota }} {{ $labels.resource }} is above ' +
            `${Math.round(a.quotaUsedRatio * 100)}%`,
          description: 'New pods or objects in this namespace will soon be rejected by the ResourceQuota.',
        },
        {
          alert: 'PodsPending',
          expr: 'sum by (namespace, pod) (kube_pod_status_phase{phase="Pending"}) > 0',
          for: a.podPendingFor,
          severity: 'warning',
          summary: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} is pending',
          description: `The pod has been Pending for ${a.podPendingFor}: no node fits it (capacity, taints, quota or an unbound volume).`,
        },
      ],
    },
    {
      name: 'platform.availability',
      rules: [
        {
          alert: 'PdbNoDisruptionsAllowed',
          expr:
            'kube_poddisruptionbudget_status_pod_disruptions_allowed == 0' +
            ' and on(namespace, poddisruptionbudget) kube_poddisruptionbudget_status_expected_pods > 0',
          for: a.pdbBlockedFor,
          severity: 'warning',
          summary: 'PDB {{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} allows no disruption',
          description: `For ${a.pdbBlockedFor} this PDB has blocked every voluntary eviction: node drains and upgrades will hang.`,
        },
      ],
    },
  ];
  if (spec.addons.keda.enabled) {
    groups[0]!.rules.push({
      alert: 'KedaScalerErrors',
      expr: 'sum by (namespace, scaledObject, scaler) (rate(keda_scaler_detail_errors_total[5m])) > 0',
      for: a.scalerErrorsFor,
      severity: 'critical',
      summary: 'KEDA scaler {{ $labels.scaler }} of {{ $labels.namespace }}/{{ $labels.scaledObject }} is failing',
      description: `The scaler has failed for ${a.scalerErrorsFor}: the workload no longer scales on its trigger (check the trigger's connection and credentials).`,
    });
  }
  // Certificates, backups, log shipping, Falco, node upgrades (edge-alerts.ts).
  groups.push(...edgeAlertGroups(spec));
  return groups;
}

/** PrometheusRule with the platform alerts, each with its runbook (only when kube-prometheus-stack is enabled). */
export class MonitoringChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'monitoring' });
    new PrometheusRule(this, 'Alerts', {
      metadata: {
        name: PLATFORM_ALERTS,
        namespace: namespaceOf(spec, 'monitoring').name,
        labels: { ...MONITORING_SELECTOR_LABELS },
      },
      spec: {
        groups: platformAlerts(spec).map((g) => ({
          name: g.name,
          rules: g.rules.map((r) => ({
            alert: r.alert,
            expr: Expr.fromString(r.expr),
            for: r.for,
            labels: { severity: r.severity },
            annotations: { summary: r.summary, description: r.description, runbook_url: runbookUrl(spec, r.alert) },
          })),
        })),
      },
    });
  }
}
