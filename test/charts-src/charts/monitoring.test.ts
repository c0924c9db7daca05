import { Testing } from 'cdk8s';
import { MonitoringChart } from '../../../charts-src/charts/monitoring';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';
import { find, type Obj } from '../support/objects';

const rulesOf = (objects: Obj[]) =>
  new Map<string, Obj>(
    find(objects, 'PrometheusRule', 'platform-alerts', 'lobstack-monitoring').spec.groups.flatMap((g: Obj) =>
      g.rules.map((r: Obj) => [r.alert, r]),
    ),
  );

describe.each(['staging', 'prod'] as const)('platform alerts of %s', (stack) => {
  const objects: Obj[] = new MonitoringChart(Testing.app(), 'monitoring', stackSpec(stack)).toJson();
  const rules = rulesOf(objects);

  it('are selected by the kube-prometheus-stack release', () => {
    expect(find(objects, 'PrometheusRule', 'platform-alerts').metadata.labels.release).toBe('kube-prometheus-stack');
  });

  it('cover HPA at max, quota above 90 %, pending pods, KEDA scaler errors, PDBs that allow no disruption, and the edge', () => {
    expect([...rules.keys()].sort()).toEqual([
      'BackupFailed',
      'BackupLate',
      'CertificateExpiringSoon',
      'CertificateNotReady',
      'EtcdSnapshotFailed',
      'EtcdSnapshotLate',
      'FalcoCriticalEvent',
      'HpaAtMaxReplicas',
      'KedaScalerErrors',
      'LogShippingErrors',
      'LogShippingStalled',
      'NodeNotUpgraded',
      'PdbNoDisruptionsAllowed',
      'PodsPending',
      'ResourceQuotaNearlyFull',
      'VaultSnapshotLate',
    ]);
  });

  it('HPA at max for 15 minutes', () => {
    const r = rules.get('HpaAtMaxReplicas');
    expect(r.expr).toBe(
      'kube_horizontalpodautoscaler_status_current_replicas >= on(namespace, horizontalpodautoscaler) kube_horizontalpodautoscaler_spec_max_replicas',
    );
    expect(r.for).toBe('15m');
    expect(r.labels).toEqual({ severity: 'warning' });
  });

  it('quota used above 0.9 of hard', () => {
    expect(rules.get('ResourceQuotaNearlyFull').expr).toBe(
      'kube_resourcequota{type="used"} / ignoring(type) (kube_resourcequota{type="hard"} > 0) > 0.9',
    );
  });

  it('pods pending for 10 minutes, PDBs blocked for 15, KEDA errors for 5 (critical)', () => {
    expect(rules.get('PodsPending')).toMatchObject({ for: '10m' });
    expect(rules.get('PdbNoDisruptionsAllowed').expr).toContain(
      'kube_poddisruptionbudget_status_pod_disruptions_allowed == 0',
    );
    expect(rules.get('PdbNoDisruptionsAllowed').for).toBe('15m');
    expect(rules.get('KedaScalerErrors')).toMatchObject({
      expr: 'sum by (namespace, scaledObject, scaler) (rate(keda_scaler_detail_errors_total[5m])) > 0',
      for: '5m',
      labels: { severity: 'critical' },
    });
  });
});

describe('alert thresholds come from spec.alerts', () => {
  it('uses the configured durations and ratio', () => {
    const raw = rawStack('staging');
    raw.alerts = {
      hpaAtMaxFor: '30m',
      quotaUsedRatio: 0.8,
      quotaUsedFor: '5m',
      podPendingFor: '2m',
      pdbBlockedFor: '1h',
    };
    const rules = rulesOf(new MonitoringChart(Testing.app(), 'monitoring', parseRaw(raw)).toJson());
    expect(rules.get('HpaAtMaxReplicas').for).toBe('30m');
    expect(rules.get('ResourceQuotaNearlyFull')).toMatchObject({ for: '5m' });
    expect(rules.get('ResourceQuotaNearlyFull').expr).toMatch(/> 0.8$/);
    expect(rules.get('PodsPending').for).toBe('2m');
    expect(rules.get('PdbNoDisruptionsAllowed').for).toBe('1h');
  });
});
