/**
 * Kubernetes resource quantities, parsed the way the API server does for the
 * suffixes this platform uses. Shared by the schema, the charts and the gate, so
 * that "does the quota admit the warm pool" is computed identically everywhere.
 */

const CPU_PATTERN = /^(\d+(\.\d+)?)(m)?$/;
const BYTES_PATTERN = /^(\d+(\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P)?$/;

const BYTE_MULTIPLIERS: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

export function isCpuQuantity(value: string): boolean {
  return CPU_PATTERN.test(value);
}

export function isByteQuantity(value: string): boolean {
  return BYTES_PATTERN.test(value);
}

/** CPU quantity in millicores: `250m` → 250, `2` → 2000, `0.5` → 500. */
export function cpuMillis(value: string): number {
  const match = CPU_PATTERN.exec(value);
  if (!match) throw new Error(`'${value}' is not a CPU quantity (examples: 250m, 1, 1.5)`);
  const amount = Number(match[1]);
  return Math.round(match[3] ? amount : amount * 1000);
}

/** Byte quantity in bytes: `512Mi` → 536870912, `1G` → 1e9. */
export function bytes(value: string): number {
  const match = BYTES_PATTERN.exec(value);
  if (!match) throw new Error(`'${value}' is not a byte quantity (examples: 512Mi, 2Gi, 10G)`);
  return Math.round(Number(match[1]) * BYTE_MULTIPLIERS[match[3] ?? '']!);
}

/** Formats millicores the way a reviewer reads them: 1500 → `1500m`, 2000 → `2`. */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Formats bytes with the largest binary suffix that divides them evenly. */
export function formatBytes(value: number): string {
  for (const suffix of ['Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const unit = BYTE_MULTIPLIERS[suffix]!;
    if (value >= unit && value % unit === 0) return `${value / unit}${suffix}`;
  }
  return String(value);
}
