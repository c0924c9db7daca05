/** One Prometheus alert as the platform writes it (a leaf module: monitoring.ts and edge-alerts.ts both read it). */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: 'warning' | 'critical';
  readonly summary: string;
  readonly description: string;
}
