/**
 * Where the API server writes its audit log on k3s servers. Shared by the node
 * bootstrap (infra/hcloud, which sets `--audit-log-path`) and the log shipper
 * (infra/addons/fluent-bit.ts, which tails it), so the two cannot drift apart.
 * EKS writes its audit log to CloudWatch instead (infra/aws, control-plane logs).
 */
export const AUDIT_LOG_DIR = '/var/lib/rancher/k3s/server/logs';
export const AUDIT_LOG_PATH = `${AUDIT_LOG_DIR}/audit.log`;
