/**
 * Alertmanager's routing and receivers from `alerting.receivers`: every alert (the
 * platform's PrometheusRules, the chart's own rules, Falco events from falcosidekick)
 * reaches each receiver whose severities it matches.
 *
 * Credentials are never in the configuration: each receiver reads its URL, key or
 * password from a file (`api_url_file`, `routing_key_file`, `url_file`,
 * `auth_password_file`; prometheus/alertmanager config/notifiers.go, v0.29.0 as
 * shipped by kube-prometheus-stack 79.5.0), and the operator mounts the named Secrets
 * of the monitoring namespace at /etc/alertmanager/secrets/<secret>/<key>
 * (`alertmanagerSpec.secrets`).
 */
import {
  FALCO_EVENT_ALERT,
  runbookUrl,
  type AlertReceiverSpec,
  type EnvironmentSpec,
  type SecretKeyRef,
} from '../../config';

export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';
/** The chart's receiver that drops alerts (Watchdog, InfoInhibitor). */
const NULL_RECEIVER = 'null';

const secretFile = (ref: SecretKeyRef) => `${ALERTMANAGER_SECRETS_DIR}/${ref.name}/${ref.key}`;

/** Secrets a receiver reads. */
function receiverSecrets(r: AlertReceiverSpec): SecretKeyRef[] {
  switch (r.type) {
    case 'webhook':
      return [r.url];
    case 'slack':
      return [r.apiUrl];
    case 'pagerduty':
      return [r.routingKey];
    case 'email':
      return r.password ? [r.password] : [];
  }
}

/**
 * One line per alert with its runbook. Falco events come from falcosidekick without a
 * runbook_url annotation, so the template supplies theirs.
 */
function slackText(spec: EnvironmentSpec): string {
  return (
    '{{ range .Alerts }}*{{ .Labels.alertname }}* ({{ .Labels.severity }}): {{ .Annotations.summary }}\n' +
    '{{ with .Annotations.runbook_url }}Runbook: {{ . }}\n' +
    `{{ else }}{{ if eq .Labels.alertname "${FALCO_EVENT_ALERT}" }}Runbook: ${runbookUrl(spec, FALCO_EVENT_ALERT)}\n{{ end }}` +
    '{{ end }}{{ end }}'
  );
}

function receiverConfig(spec: EnvironmentSpec, r: AlertReceiverSpec): Record<string, unknown> {
  switch (r.type) {
    case 'webhook':
      return { name: r.name, webhook_configs: [{ url_file: secretFile(r.url), send_resolved: true }] };
    case 'slack':
      return {
        name: r.name,
        slack_configs: [
          { api_url_file: secretFile(r.apiUrl), channel: r.channel, send_resolved: true, text: slackText(spec) },
        ],
      };
    case 'pagerduty':
      return { name: r.name, pagerduty_configs: [{ routing_key_file: secretFile(r.routingKey), send_resolved: true }] };
    case 'email':
      return {
        name: r.name,
        email_configs: [
          {
            to: r.to,
            from: r.from,
            smarthost: r.smarthost,
            require_tls: true,
            send_resolved: true,
            ...(r.username ? { auth_username: r.username } : {}),
            ...(r.password ? { auth_password_file: secretFile(r.password) } : {}),
          },
        ],
      };
  }
}

/** The Secret names the Alertmanager pods mount (sorted, each once). */
export function alertmanagerSecrets(spec: EnvironmentSpec): string[] {
  return [...new Set(spec.alerting.receivers.flatMap((r) => receiverSecrets(r).map((s) => s.name)))].sort();
}

/**
 * The `alertmanager.config` value: the chart's defaults (inhibit rules, templates) stay;
 * route and receivers are replaced. Without receivers the chart's default stays.
 */
export function alertmanagerConfig(spec: EnvironmentSpec): Record<string, unknown> | undefined {
  const receivers = spec.alerting.receivers;
  if (receivers.length === 0) return undefined;
  return {
    route: {
      receiver: NULL_RECEIVER,
      group_by: ['alertname', 'namespace'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        { receiver: NULL_RECEIVER, matchers: ['alertname = "Watchdog"'] },
        { receiver: NULL_RECEIVER, matchers: ['alertname = "InfoInhibitor"'] },
        ...receivers.map((r) => ({
          receiver: r.name,
          matchers: [`severity =~ "${(r.severities ?? ['warning', 'critical']).join('|')}"`],
          continue: true,
        })),
      ],
    },
    receivers: [{ name: NULL_RECEIVER }, ...receivers.map((r) => receiverConfig(spec, r))],
  };
}
