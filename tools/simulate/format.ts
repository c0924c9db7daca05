/** Number formats the report and the objectives share (a leaf module: both import it). */

/** Seconds as the report prints them. */
export function formatSeconds(s: number): string {
  if (Number.isNaN(s)) return '–';
  if (s === Infinity) return 'not started';
  return s < 100 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}
