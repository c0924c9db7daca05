/**
 * Fluent Bit: a DaemonSet on every node (agent pools included: the sandboxes' logs
 * are what an incident needs) shipping container logs and, on k3s servers, the API
 * server's audit log to the sink `logs` names. It lives alone in the privileged
 * logging namespace (hostPath reads of /var/log and the audit directory). The
 * container itself drops every capability, cannot escalate and has a read-only
 * root; it runs as root because kubelet writes pod logs root-owned, 0640.
 *
 * Values checked against fluent/helm-charts charts/fluent-bit 0.58.1 (values.yaml,
 * templates/_pod.tpl, templates/configmap.yaml, templates/servicemonitor.yaml).
 */
import { fluentBitEnabled, namespaceOf, type EnvironmentSpec } from '../../config';
import { AUDIT_LOG_DIR } from '../audit-log';
import { TOLERATE_EVERYTHING, pod, resources } from './common';
import { FLUENT_BIT_STATE_DIR, filters, inputs, outputs, sinkEnvironment } from './fluent-bit-config';
import type { AddonDefinition } from './types';

export const FLUENT_BIT_RELEASE = 'fluent-bit';
const FLUENT_BIT = resources('50m', '64Mi', '500m', '256Mi');

function requireLogs(spec: EnvironmentSpec): NonNullable<EnvironmentSpec['logs']> {
  if (!spec.logs) throw new Error('addons.fluentBit runs only with `logs` set in the environment');
  return spec.logs;
}

/** k3s servers write the audit log to a file; EKS sends it to CloudWatch. */
export const shipsAuditLog = (spec: EnvironmentSpec) => spec.cloud.provider === 'hcloud';

export const fluentBit: AddonDefinition = {
  name: 'fluentBit',
  release: FLUENT_BIT_RELEASE,
  purpose: 'logs: container logs and the API audit log from every node to the configured sink',
  enabled: (spec) => fluentBitEnabled(spec),
  chartVersionOverride: (spec) => spec.addons.fluentBit.chartVersion,
  namespace: (spec) => namespaceOf(spec, 'logging').name,
  // Its ServiceMonitor needs the Prometheus operator's CRDs.
  dependsOn: () => ['kubePrometheusStack'],
  crdGroups: [],
  usesCrdGroups: (spec) => (spec.addons.kubePrometheusStack.enabled ? ['monitoring.coreos.com'] : []),
  admissionWebhooks: () => false,
  placement: 'every-node',
  pods: () => [pod('fluent-bit', 'per-node', FLUENT_BIT)],
  values: ({ spec }) => {
    const sink = requireLogs(spec);
    const audit = shipsAuditLog(spec);
    const options = { sink, auditLog: audit, environment: `${spec.name}-${spec.stack}` };
    const env = Object.entries(sinkEnvironment(sink)).map(([name, ref]) => ({
      name,
      valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } },
    }));
    return {
      kind: 'DaemonSet',
      // The chart's Helm test pod is not part of the platform.
      testFramework: { enabled: false },
      tolerations: TOLERATE_EVERYTHING,
      resources: FLUENT_BIT,
      podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: {
        runAsUser: 0,
        runAsNonRoot: false,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      env,
      serviceMonitor: { enabled: spec.addons.kubePrometheusStack.enabled },
      config: { inputs: inputs(options), filters: filters(options), outputs: outputs(options) },
      daemonSetVolumes: [
        { name: 'varlog', hostPath: { path: '/var/log' } },
        { name: 'state', hostPath: { path: FLUENT_BIT_STATE_DIR, type: 'DirectoryOrCreate' } },
        ...(audit ? [{ name: 'audit', hostPath: { path: AUDIT_LOG_DIR, type: 'DirectoryOrCreate' } }] : []),
      ],
      daemonSetVolumeMounts: [
        { name: 'varlog', mountPath: '/var/log', readOnly: true },
        { name: 'state', mountPath: FLUENT_BIT_STATE_DIR },
        ...(audit ? [{ name: 'audit', mountPath: AUDIT_LOG_DIR, readOnly: true }] : []),
      ],
    };
  },
};
