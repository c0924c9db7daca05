/**
 * Alerts of the edge and its observability, and the runbook of every alert:
 * certificates (cert-manager metrics), backups (Velero metrics), log shipping
 * (Fluent Bit metrics), Falco critical events (falcosidekick metrics) and nodes left on
 * an older Kubernetes minor (kube-state-metrics). Thresholds come from `alerting`.
 */
export { runbookName, runbookUrl } from '../../config';
import {
  BACKUP_NAMES,
  certManagerEnabled,
  cloudProfile,
  falcosidekickEnabled,
  fluentBitEnabled,
  namespaceOf,
  type EnvironmentSpec,
} from '../../config';
import type { AlertRule } from './alert-rule';

/** A duration such as 14d or 26h in seconds (PromQL arithmetic on timestamps). */
export function durationSeconds(duration: string): number {
  const m = /^(\d+)([smhd])$/.exec(duration);
  if (!m) throw new Error(`alerting: "${duration}" is not a duration such as 30m, 6h or 14d`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

export function edgeAlertGroups(spec: EnvironmentSpec): { name: string; rules: AlertRule[] }[] {
  const a = spec.alerting;
  const groups: { name: string; rules: AlertRule[] }[] = [];
  if (certManagerEnabled(spec)) {
    groups.push({
      name: 'platform.certificates',
      rules: [
        {
          alert: 'CertificateExpiringSoon',
          expr: `certmanager_certificate_expiration_timestamp_seconds - time() < ${durationSeconds(a.certificateExpiresWithin)}`,
          for: '1h',
          severity: 'warning',
          summary:
            'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within ' + a.certificateExpiresWithin,
          description:
            'cert-manager should have renewed it (renewBefore) and has not: the issuer is failing, or the Secret is not being updated.',
        },
        {
          alert: 'CertificateNotReady',
          expr: 'max by (namespace, name) (certmanager_certificate_ready_status{condition="False"}) == 1',
          for: '15m',
          severity: 'critical',
          summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} is not ready',
          description: 'cert-manager cannot issue or renew it; clients will fail TLS once the current one expires.',
        },
      ],
    });
  }
  const backups = backupAlerts(spec);
  if (backups.length > 0) groups.push({ name: 'platform.backups', rules: backups });
  if (fluentBitEnabled(spec)) {
    groups.push({
      name: 'platform.logging',
      rules: [
        {
          alert: 'LogShippingStalled',
          expr:
            'sum by (pod) (rate(fluentbit_input_records_total[5m])) > 0' +
            ' and sum by (pod) (rate(fluentbit_output_proc_records_total[5m])) == 0',
          for: a.logShippingStalledFor,
          severity: 'critical',
          summary: 'Fluent Bit {{ $labels.pod }} reads logs but ships none',
          description: `For ${a.logShippingStalledFor} the node's logs (and, on servers, the audit log) have not reached the ${spec.logs?.type ?? 'configured'} sink; the node buffers them until its disk limit.`,
        },
        {
          alert: 'LogShippingErrors',
          expr: 'sum by (pod, name) (rate(fluentbit_output_retries_failed_total[5m])) > 0',
          for: '15m',
          severity: 'warning',
          summary: 'Fluent Bit {{ $labels.pod }} drops records after failed retries to {{ $labels.name }}',
          description: 'Records were given up after all retries: they are lost for the sink.',
        },
      ],
    });
  }
  if (falcosidekickEnabled(spec)) {
    groups.push({
      name: 'platform.security',
      rules: [
        {
          alert: 'FalcoCriticalEvent',
          expr: 'sum by (rule, priority_raw) (increase(falcosecurity_falcosidekick_falco_events_total{priority_raw=~"critical|alert|emergency"}[5m])) > 0',
          for: '0m',
          severity: 'critical',
          summary: 'Falco rule "{{ $labels.rule }}" fired at priority {{ $labels.priority_raw }}',
          description:
            'A runtime-security rule of Critical or higher priority matched on a node or in an agent sandbox (details in the FalcoEvent alerts and the logs).',
        },
      ],
    });
  }
  const minor = spec.kubernetes.version.replace('.', '\\\\.');
  groups.push({
    name: 'platform.upgrades',
    rules: [
      {
        alert: 'NodeNotUpgraded',
        expr: `count by (node, kubelet_version) (kube_node_info{kubelet_version!~"v${minor}\\\\..*"}) > 0`,
        for: a.nodeNotUpgradedFor,
        severity: 'warning',
        summary: `Node {{ $labels.node }} runs {{ $labels.kubelet_version }}, not Kubernetes ${spec.kubernetes.version}`,
        description: `The environment is on ${spec.kubernetes.version}, and this node has not been upgraded for ${a.nodeNotUpgradedFor}.`,
      },
    ],
  });
  return groups;
}

/**
 * Backups that are late or failing: Velero's schedules (Velero metrics) and the Vault Raft
 * snapshot CronJob (kube-state-metrics' `kube_cronjob_status_last_successful_time`, a STABLE
 * CronJob metric: kubernetes/kube-state-metrics docs/metrics/workload/cronjob-metrics.md). Late
 * means older than the recovery point objective: every schedule is proven to meet it at synth
 * (config/recovery.ts). k3s's etcd snapshots are read from k3s's own metrics (etcdSnapshotAlerts).
 */
function backupAlerts(spec: EnvironmentSpec): AlertRule[] {
  const lateAfter = spec.alerting.backupLateAfter ?? spec.backup?.rpo ?? '24h';
  const late = durationSeconds(lateAfter);
  const rules: AlertRule[] = [];
  if (spec.addons.velero.enabled)
    rules.push(
      {
        alert: 'BackupFailed',
        expr: 'sum by (schedule) (increase(velero_backup_failure_total[1h])) > 0',
        for: '0m',
        severity: 'critical',
        summary: 'Backup schedule {{ $labels.schedule }} failed',
        description: 'A scheduled backup failed in the last hour.',
      },
      {
        alert: 'BackupLate',
        expr:
          `(time() - max by (schedule) (velero_backup_last_successful_timestamp{schedule!=""})) > ${late}` +
          ' or absent(velero_backup_last_successful_timestamp)',
        // Tolerates a backup that takes a while to complete after its scheduled start.
        for: '15m',
        severity: 'warning',
        summary: `No successful backup of schedule {{ $labels.schedule }} for ${lateAfter}`,
        description:
          'The last successful backup is older than the recovery point objective (backup.rpo, or alerting.backupLateAfter), or Velero has never completed one.',
      },
    );
  if (spec.backup && cloudProfile(spec.cloud.provider).distribution === 'k3s')
    rules.push(...etcdSnapshotAlerts(lateAfter));
  if (spec.backup && spec.addons.vault.enabled) {
    // The CronJob VaultRaftSnapshot renders (charts-src/charts/backup.ts): a failed run leaves the
    // last successful time where it was, so late covers failed too.
    const selector = `namespace="${namespaceOf(spec, 'vault').name}", cronjob="${BACKUP_NAMES.vaultSnapshotJob}"`;
    rules.push({
      alert: 'VaultSnapshotLate',
      expr:
        `(time() - max(kube_cronjob_status_last_successful_time{${selector}})) > ${late}` +
        ` or absent(kube_cronjob_status_last_successful_time{${selector}})`,
      for: '15m',
      severity: 'warning',
      summary: `No successful Vault Raft snapshot for ${lateAfter}`,
      description:
        'The vault-raft-snapshot CronJob has not completed within the recovery point objective (backup.rpo, or alerting.backupLateAfter), or has never completed.',
    });
  }
  return rules;
}

/**
 * The k3s etcd snapshots of the backup (infra/hcloud: `etcd-snapshot-schedule-cron`, uploaded
 * with `etcd-s3`). k3s records each save as the histograms `k3s_etcd_snapshot_save_duration_seconds`
 * and `k3s_etcd_snapshot_save_s3_duration_seconds` with `status="success"` or `"error"` (k3s
 * PR #11793, in k3s since 1.29.15, 1.30.11, 1.31.7 and 1.32.3). k3s runs every component in one
 * process with one metrics registry, so they are on the API server's `/metrics` of each server
 * (docs.k3s.io/reference/metrics), which kube-prometheus-stack scrapes as `job="apiserver"`;
 * the kubelet endpoint of the same process repeats them, hence the job selector.
 *
 * Late: no snapshot reached the bucket within the recovery point objective. A counter series is
 * born at its first observation, and `increase` does not count that first one, so right after
 * a server (re)starts one good snapshot looks like none (and a server that has saved none has no
 * series at all): the alert waits until some server has run for two RPO windows, by which time a schedule that meets the RPO (checked at synth,
 * config/recovery.ts) has saved one before the window and one inside it.
 */
function etcdSnapshotAlerts(lateAfter: string): AlertRule[] {
  const late = durationSeconds(lateAfter);
  const uploaded = 'k3s_etcd_snapshot_save_s3_duration_seconds_count{job="apiserver", status="success"}';
  const failedInLastHour = (histogram: string) =>
    `sum by (instance) (increase(${histogram}_count{job="apiserver", status="error"}[1h])) > 0`;
  return [
    {
      alert: 'EtcdSnapshotFailed',
      expr: `${failedInLastHour('k3s_etcd_snapshot_save_duration_seconds')} or ${failedInLastHour('k3s_etcd_snapshot_save_s3_duration_seconds')}`,
      for: '0m',
      severity: 'critical',
      summary: 'k3s server {{ $labels.instance }} failed an etcd snapshot or its upload',
      description: 'A scheduled etcd snapshot, or its upload to the backup bucket, failed in the last hour.',
    },
    {
      alert: 'EtcdSnapshotLate',
      // No upload in the window, or none since every server started; once some server has run for two windows.
      expr:
        `(sum(increase(${uploaded}[${lateAfter}])) == 0 or absent(${uploaded}))` +
        ` and on() max(time() - process_start_time_seconds{job="apiserver"}) > ${2 * late}`,
      for: '15m',
      severity: 'warning',
      summary: `No etcd snapshot reached the backup bucket for ${lateAfter}`,
      description:
        'No k3s server uploaded an etcd snapshot within the recovery point objective (backup.rpo, or alerting.backupLateAfter).',
    },
  ];
}
