/**
 * The edge alerts and the runbook of every alert, in every environment (stacks and
 * examples): each runbook_url names a page under docs/runbooks/ that says what the
 * alert means and what to do; and Alertmanager's receivers from the model.
 */
import { installMocks } from '../../support/pulumi-mocks';

installMocks();

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { MonitoringChart } from '../../../charts-src/charts/monitoring';
import { durationSeconds } from '../../../charts-src/charts/edge-alerts';
import { namespaceOf, type EnvironmentSpec } from '../../../config';
import { alertmanagerConfig, alertmanagerSecrets } from '../../../infra/addons/alertmanager-config';
import { definitionOf } from '../../../infra/addons/catalogue';
import { EXAMPLES, exampleSpec } from '../../support/examples';
import { REPO_ROOT, parseRaw, rawStack, stackSpec } from '../../support/environments';
import { fakeCluster } from '../../infra/support';
import { find, type Obj } from '../support/objects';

const rulesOf = (spec: EnvironmentSpec): Obj[] =>
  find(
    new MonitoringChart(Testing.app(), 'monitoring', spec).toJson(),
    'PrometheusRule',
    'platform-alerts',
  ).spec.groups.flatMap((g: Obj) => g.rules);
const rule = (spec: EnvironmentSpec, alert: string) => rulesOf(spec).find((r: Obj) => r.alert === alert);

const environments: [string, () => EnvironmentSpec][] = [
  ['staging', () => stackSpec('staging')],
  ['prod', () => stackSpec('prod')],
  ...EXAMPLES.filter((e) => exampleSpec(e).addons.kubePrometheusStack.enabled).map(
    (e) => [e, () => exampleSpec(e)] as [string, () => EnvironmentSpec],
  ),
];

describe.each(environments)('every alert of %s has a runbook', (_name, specOf) => {
  const spec = specOf();
  test.each(rulesOf(spec).map((r: Obj) => [r.alert, r] as [string, Obj]))('%s', (alert, r) => {
    const url: string = r.annotations.runbook_url;
    const base = spec.alerting.runbookBaseUrl;
    expect(url.startsWith(`${base}/`)).toBe(true);
    const page = join(REPO_ROOT, 'docs', 'runbooks', url.slice(base.length + 1));
    expect({ alert, exists: existsSync(page) }).toEqual({ alert, exists: true });
    const text = readFileSync(page, 'utf8');
    expect(text).toMatch(new RegExp(`^# ${alert}\\n`));
    expect(text).toContain('**What it means.**');
    expect(text).toMatch(/\*\*What to do\.\*\*|\*\*Confirm and fix\.\*\*/);
  });
});

test('falcosidekick events have a runbook page too', () => {
  expect(readFileSync(join(REPO_ROOT, 'docs', 'runbooks', 'falco-event.md'), 'utf8')).toMatch(/^# FalcoEvent\n/);
});

describe('edge alerts of staging', () => {
  const spec = stackSpec('staging');

  test('certificates expiring within 14 days, or not ready for 15 minutes (critical)', () => {
    expect(rule(spec, 'CertificateExpiringSoon').expr).toBe(
      'certmanager_certificate_expiration_timestamp_seconds - time() < 1209600',
    );
    expect(rule(spec, 'CertificateNotReady')).toMatchObject({ for: '15m', labels: { severity: 'critical' } });
  });

  test('backups: failed in the last hour, or none successful for longer than the RPO (also when none ever ran)', () => {
    expect(spec.backup?.rpo).toBe('1h');
    expect(rule(spec, 'BackupFailed').expr).toBe('sum by (schedule) (increase(velero_backup_failure_total[1h])) > 0');
    expect(rule(spec, 'BackupLate')).toMatchObject({
      expr: '(time() - max by (schedule) (velero_backup_last_successful_timestamp{schedule!=""})) > 3600 or absent(velero_backup_last_successful_timestamp)',
      for: '15m',
    });
  });

  test('backups: alerting.backupLateAfter overrides the RPO as the late threshold', () => {
    const raw = rawStack('prod');
    (raw.alerting as Obj).backupLateAfter = '2h';
    expect(rule(parseRaw(raw, 'prod'), 'BackupLate').expr).toContain('> 7200 or absent(');
  });

  test('k3s etcd snapshots, from k3s metrics of the API server job: a failed save or upload in the last hour; no upload within the RPO once a server has run two windows', () => {
    const uploaded = 'k3s_etcd_snapshot_save_s3_duration_seconds_count{job="apiserver", status="success"}';
    expect(rule(spec, 'EtcdSnapshotFailed')).toMatchObject({
      expr:
        'sum by (instance) (increase(k3s_etcd_snapshot_save_duration_seconds_count{job="apiserver", status="error"}[1h])) > 0' +
        ' or sum by (instance) (increase(k3s_etcd_snapshot_save_s3_duration_seconds_count{job="apiserver", status="error"}[1h])) > 0',
      for: '0m',
      labels: { severity: 'critical' },
    });
    expect(rule(spec, 'EtcdSnapshotLate')).toMatchObject({
      expr: `(sum(increase(${uploaded}[1h])) == 0 or absent(${uploaded})) and on() max(time() - process_start_time_seconds{job="apiserver"}) > 7200`,
      for: '15m',
      labels: { severity: 'warning' },
    });
    const raw = rawStack('prod');
    (raw.alerting as Obj).backupLateAfter = '2h';
    expect(rule(parseRaw(raw, 'prod'), 'EtcdSnapshotLate').expr).toContain(`[2h])) == 0`);
    expect(rule(parseRaw(raw, 'prod'), 'EtcdSnapshotLate').expr).toContain('> 14400');
  });

  test('no etcd snapshot alerts on EKS (AWS runs etcd) or without a backup section', () => {
    const aws = exampleSpec('lobstack-aws');
    expect(aws.backup).toBeDefined();
    const onEks = rulesOf(aws).map((r: Obj) => r.alert);
    expect(onEks).toContain('BackupLate');
    expect(onEks).not.toContain('EtcdSnapshotFailed');
    expect(onEks).not.toContain('EtcdSnapshotLate');
    const raw = rawStack('staging');
    delete raw.backup;
    const names = rulesOf(parseRaw(raw, 'staging')).map((r: Obj) => r.alert);
    expect(names).not.toContain('EtcdSnapshotFailed');
    expect(names).not.toContain('EtcdSnapshotLate');
  });

  test('the Vault Raft snapshot CronJob: none successful for longer than the RPO (also when none ever ran)', () => {
    const vault = namespaceOf(spec, 'vault').name;
    const selector = `namespace="${vault}", cronjob="vault-raft-snapshot"`;
    expect(rule(spec, 'VaultSnapshotLate')).toMatchObject({
      expr: `(time() - max(kube_cronjob_status_last_successful_time{${selector}})) > 3600 or absent(kube_cronjob_status_last_successful_time{${selector}})`,
      for: '15m',
      labels: { severity: 'warning' },
    });
  });

  test('no Vault snapshot alert where Vault is off', () => {
    const raw = rawStack('staging');
    ((raw.addons as Obj).vault as Obj).enabled = false;
    const names = rulesOf(parseRaw(raw, 'staging')).map((r: Obj) => r.alert);
    expect(names).toContain('BackupLate');
    expect(names).not.toContain('VaultSnapshotLate');
  });

  test('log shipping stalled: records read, none shipped, for 15 minutes', () => {
    expect(rule(spec, 'LogShippingStalled')).toMatchObject({
      expr: 'sum by (pod) (rate(fluentbit_input_records_total[5m])) > 0 and sum by (pod) (rate(fluentbit_output_proc_records_total[5m])) == 0',
      for: '15m',
      labels: { severity: 'critical' },
    });
  });

  test('Falco critical events, from the falcosidekick metrics', () => {
    expect(rule(spec, 'FalcoCriticalEvent').expr).toContain(
      'falcosecurity_falcosidekick_falco_events_total{priority_raw=~"critical|alert|emergency"}',
    );
  });

  test("nodes off the environment's minor for 24 h", () => {
    expect(rule(spec, 'NodeNotUpgraded')).toMatchObject({
      expr: `count by (node, kubelet_version) (kube_node_info{kubelet_version!~"v${spec.kubernetes.version.replace('.', '\\\\.')}\\\\..*"}) > 0`,
      for: '24h',
    });
  });

  test('without logs or cert-manager their alerts are not rendered', () => {
    const raw = rawStack('staging');
    delete raw.logs;
    raw.addons.certManager = { enabled: false };
    raw.addons.vault = { enabled: false };
    const alerts = rulesOf(parseRaw(raw)).map((r: Obj) => r.alert);
    expect(alerts).not.toContain('LogShippingStalled');
    expect(alerts).not.toContain('CertificateExpiringSoon');
  });

  test('thresholds come from alerting', () => {
    const raw = rawStack('staging');
    raw.alerting.certificateExpiresWithin = '7d';
    raw.alerting.nodeNotUpgradedFor = '48h';
    const s = parseRaw(raw);
    expect(rule(s, 'CertificateExpiringSoon').expr).toMatch(/< 604800$/);
    expect(rule(s, 'NodeNotUpgraded').for).toBe('48h');
  });

  test('a bad duration is refused with its value', () => {
    expect(() => durationSeconds('2w')).toThrow('alerting: "2w" is not a duration such as 30m, 6h or 14d');
  });
});

describe('Alertmanager receivers', () => {
  test('prod: Slack for every severity, PagerDuty for critical; credentials read from mounted Secrets', () => {
    const spec = stackSpec('prod');
    const config = alertmanagerConfig(spec)!;
    expect((config.route as Obj).routes).toEqual([
      { receiver: 'null', matchers: ['alertname = "Watchdog"'] },
      { receiver: 'null', matchers: ['alertname = "InfoInhibitor"'] },
      { receiver: 'platform-slack', matchers: ['severity =~ "warning|critical"'], continue: true },
      { receiver: 'platform-pagerduty', matchers: ['severity =~ "critical"'], continue: true },
    ]);
    const receivers = config.receivers as Obj[];
    expect(receivers[1].slack_configs[0]).toMatchObject({
      api_url_file: '/etc/alertmanager/secrets/alertmanager-slack/api-url',
      channel: '#platform-alerts',
      send_resolved: true,
    });
    expect(receivers[1].slack_configs[0].text).toContain(
      'Runbook: https://github.com/lobstack/agent-platform/blob/main/docs/runbooks/falco-event.md',
    );
    expect(receivers[2].pagerduty_configs).toEqual([
      { routing_key_file: '/etc/alertmanager/secrets/alertmanager-pagerduty/routing-key', send_resolved: true },
    ]);
    expect(alertmanagerSecrets(spec)).toEqual(['alertmanager-pagerduty', 'alertmanager-slack']);
    const values = definitionOf('kubePrometheusStack').values({
      spec,
      cluster: fakeCluster(spec),
      namespace: 'lobstack-monitoring',
      namespaces: {},
      checksum: () => 'checksum',
    }) as Obj;
    expect(values.alertmanager.config).toEqual(config);
    expect(values.alertmanager.alertmanagerSpec.secrets).toEqual(['alertmanager-pagerduty', 'alertmanager-slack']);
  });

  test('webhook and e-mail receivers: URL and password from files, TLS to the relay', () => {
    const raw = rawStack('staging');
    raw.alerting.receivers = [
      { name: 'ops-webhook', type: 'webhook', url: { name: 'ops-hook', key: 'url' } },
      {
        name: 'ops-mail',
        type: 'email',
        to: 'ops@lobstack.dev',
        from: 'alerts@lobstack.dev',
        smarthost: 'smtp.lobstack.dev:587',
        username: 'alerts',
        password: { name: 'smtp', key: 'password' },
        severities: ['critical'],
      },
    ];
    const config = alertmanagerConfig(parseRaw(raw))!;
    expect(config.receivers).toEqual([
      { name: 'null' },
      {
        name: 'ops-webhook',
        webhook_configs: [{ url_file: '/etc/alertmanager/secrets/ops-hook/url', send_resolved: true }],
      },
      {
        name: 'ops-mail',
        email_configs: [
          {
            to: 'ops@lobstack.dev',
            from: 'alerts@lobstack.dev',
            smarthost: 'smtp.lobstack.dev:587',
            require_tls: true,
            send_resolved: true,
            auth_username: 'alerts',
            auth_password_file: '/etc/alertmanager/secrets/smtp/password',
          },
        ],
      },
    ]);
  });

  test('without receivers the chart default configuration stays', () => {
    const raw = rawStack('staging');
    raw.alerting.receivers = [];
    expect(alertmanagerConfig(parseRaw(raw))).toBeUndefined();
  });

  test('a repeated receiver name is refused', () => {
    const raw = rawStack('staging');
    raw.alerting.receivers.push({ ...raw.alerting.receivers[0] });
    expect(() => parseRaw(raw)).toThrow('alerting.receivers[1].name ("platform-slack") is used by an earlier receiver');
  });
});
