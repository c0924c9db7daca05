/**
 * Rule: a PodDisruptionBudget leaves at least one voluntary disruption at the workload's
 * floor (the autoscaler's minimum, or its fixed replica count), or every node drain
 * blocks. One predicate; the schema (`pdbMinAvailable` < `replicas.min`), the service
 * construct and the gate (`ref.pdb-blocks-drain`) adapt it. Also the one default of
 * `pdbMinAvailable`.
 */

/** `pdbMinAvailable` when a service does not set it (the schema's and the construct's default). */
export const DEFAULT_PDB_MIN_AVAILABLE = 2;

/**
 * Disruptions a PDB's `minAvailable` or `maxUnavailable` allows with `pods` running: an
 * integer, or a percentage (`"50%"`; minAvailable rounds up, maxUnavailable down, as the
 * disruption controller does). Undefined when the value is neither (not judged).
 */
export function allowedDisruptions(
  field: 'minAvailable' | 'maxUnavailable',
  value: unknown,
  pods: number,
): number | undefined {
  const percent = typeof value === 'string' && value.endsWith('%') ? Number(value.slice(0, -1)) : undefined;
  if (field === 'minAvailable') {
    const required =
      typeof value === 'number' ? value : percent !== undefined ? Math.ceil((percent * pods) / 100) : undefined;
    return required === undefined ? undefined : pods - required;
  }
  return typeof value === 'number' ? value : percent !== undefined ? Math.floor((percent * pods) / 100) : undefined;
}

/** true when a PDB of `minAvailable` allows no disruption with `floor` pods running. */
export function minAvailableBlocksDrain(minAvailable: number, floor: number): boolean {
  return (allowedDisruptions('minAvailable', minAvailable, floor) ?? 1) <= 0;
}
