/**
 * The Fluent Bit pipeline (classic configuration) of an environment: container logs
 * from every node and, on k3s, the API server's audit log, to the sink `logs` names.
 *
 * - JSON stays JSON: the kubernetes filter merges a JSON log line into the record
 *   (`Merge_Log On`), so structured fields arrive as fields, not as an escaped string;
 *   the audit log is JSON lines and is parsed as such.
 * - Credentials never appear here: outputs read `${ENV}` variables that the
 *   DaemonSet fills from Secret keys (`sinkEnvironment`). Fluent Bit expands `${VAR}`
 *   in its configuration (docs.fluentbit.io, "Variables" in the classic format).
 * - Read positions (tail DB) and the S3 buffer live on the node (hostPath), so a
 *   restarted pod neither loses nor resends much.
 */
import type { LogSinkSpec, SecretKeyRef } from '../../config';
import { AUDIT_LOG_PATH } from '../audit-log';

/** Node directory for tail positions and buffers (a hostPath, writable). */
export const FLUENT_BIT_STATE_DIR = '/var/lib/fluent-bit';

export interface PipelineOptions {
  readonly sink: LogSinkSpec;
  /** Tail the API server's audit log (k3s servers). */
  readonly auditLog: boolean;
  /** `environment` label/field on every record (`<name>-<stack>`). */
  readonly environment: string;
}

const section = (name: string, settings: readonly (readonly [string, string | number])[]) =>
  [`[${name}]`, ...settings.map(([k, v]) => `    ${k} ${v}`)].join('\n') + '\n';

export function inputs(options: PipelineOptions): string {
  const out = [
    section('INPUT', [
      ['Name', 'tail'],
      ['Path', '/var/log/containers/*.log'],
      ['multiline.parser', 'cri, docker'],
      ['Tag', 'kube.*'],
      ['DB', `${FLUENT_BIT_STATE_DIR}/containers.db`],
      ['Mem_Buf_Limit', '50MB'],
      ['Skip_Long_Lines', 'On'],
    ]),
  ];
  if (options.auditLog) {
    out.push(
      section('INPUT', [
        ['Name', 'tail'],
        ['Path', AUDIT_LOG_PATH],
        ['Parser', 'json'],
        ['Tag', 'audit.*'],
        ['DB', `${FLUENT_BIT_STATE_DIR}/audit.db`],
        ['Mem_Buf_Limit', '50MB'],
        ['Skip_Long_Lines', 'On'],
      ]),
    );
  }
  return out.join('\n');
}

export function filters(options: PipelineOptions): string {
  return [
    section('FILTER', [
      ['Name', 'kubernetes'],
      ['Match', 'kube.*'],
      ['Merge_Log', 'On'],
      ['Keep_Log', 'Off'],
      ['K8S-Logging.Parser', 'On'],
      ['K8S-Logging.Exclude', 'On'],
    ]),
    section('FILTER', [
      ['Name', 'modify'],
      ['Match', '*'],
      ['Add', `environment ${options.environment}`],
    ]),
  ].join('\n');
}

/** Environment variable names the outputs read, mapped to the Secret keys that fill them. */
export function sinkEnvironment(sink: LogSinkSpec): Record<string, SecretKeyRef> {
  switch (sink.type) {
    case 'loki':
    case 'elasticsearch':
      return sink.basicAuth ? { SINK_USERNAME: sink.basicAuth.username, SINK_PASSWORD: sink.basicAuth.password } : {};
    case 's3':
      return { AWS_ACCESS_KEY_ID: sink.accessKeyId, AWS_SECRET_ACCESS_KEY: sink.secretAccessKey };
  }
}

function lokiOutputs(sink: Extract<LogSinkSpec, { type: 'loki' }>, options: PipelineOptions): string {
  const url = new URL(sink.url);
  const base = url.pathname.replace(/\/$/, '');
  const common: [string, string | number][] = [
    ['Name', 'loki'],
    ['Host', url.hostname],
    ['Port', url.port || 443],
    ['Uri', `${base}/loki/api/v1/push`],
    ['tls', 'On'],
    ['tls.verify', 'On'],
    ['line_format', 'json'],
    ['Retry_Limit', 'False'],
    ...(sink.tenantId ? ([['tenant_id', sink.tenantId]] as [string, string][]) : []),
    ...(sink.basicAuth
      ? ([
          ['http_user', '${SINK_USERNAME}'],
          ['http_passwd', '${SINK_PASSWORD}'],
        ] as [string, string][])
      : []),
  ];
  const out = [
    section('OUTPUT', [
      ...common,
      ['Match', 'kube.*'],
      ['labels', `job=fluent-bit, environment=${options.environment}, source=containers`],
      ['label_keys', "$kubernetes['namespace_name'],$kubernetes['container_name']"],
    ]),
  ];
  if (options.auditLog) {
    out.push(
      section('OUTPUT', [
        ...common,
        ['Match', 'audit.*'],
        ['labels', `job=fluent-bit, environment=${options.environment}, source=audit`],
      ]),
    );
  }
  return out.join('\n');
}

export function outputs(options: PipelineOptions): string {
  const sink = options.sink;
  switch (sink.type) {
    case 'loki':
      return lokiOutputs(sink, options);
    case 'elasticsearch':
      return section('OUTPUT', [
        ['Name', 'es'],
        ['Match', '*'],
        ['Host', sink.host],
        ['Port', sink.port],
        ['tls', 'On'],
        ['tls.verify', 'On'],
        ['Index', sink.index],
        ['Suppress_Type_Name', 'On'],
        // Merged JSON may carry dotted keys, which Elasticsearch maps as objects.
        ['Replace_Dots', 'On'],
        ['Retry_Limit', 'False'],
        ...(sink.basicAuth
          ? ([
              ['HTTP_User', '${SINK_USERNAME}'],
              ['HTTP_Passwd', '${SINK_PASSWORD}'],
            ] as [string, string][])
          : []),
      ]);
    case 's3':
      return section('OUTPUT', [
        ['Name', 's3'],
        ['Match', '*'],
        ['bucket', sink.bucket],
        ['region', sink.region],
        ...(sink.endpoint ? ([['endpoint', sink.endpoint]] as [string, string][]) : []),
        ['total_file_size', '50M'],
        ['upload_timeout', '5m'],
        ['use_put_object', 'On'],
        ['compression', 'gzip'],
        ['s3_key_format', `/${options.environment}/$TAG[0]/%Y/%m/%d/%H%M%S-$UUID.gz`],
        ['store_dir', `${FLUENT_BIT_STATE_DIR}/s3`],
        ['Retry_Limit', 'False'],
      ]);
  }
}
