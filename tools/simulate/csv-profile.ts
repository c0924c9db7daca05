/**
 * A user's own arrivals as CSV: a header `time,tier` (optionally `,durationMinutes`), then one
 * session per line. `time` is either seconds from the start (`12.5`) on every line, or an ISO
 * 8601 timestamp (`2026-03-02T09:00:00Z`) on every line, taken relative to the earliest.
 * Lines that are empty or start with `#` are skipped. Sessions without a duration get one drawn
 * from the environment's session-length distribution.
 */
import { logNormal, seededRandom } from './prng';
import { SimulationInputError } from './model';
import type { Arrival, Workload } from './profiles';

/** How long the simulation runs after the last arrival of a CSV profile. */
export const CSV_OBSERVE_MINUTES = 30;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const NUMBER = /^\d+(\.\d+)?$/;

interface Row {
  readonly line: number;
  readonly time: number;
  readonly tier: string;
  readonly minutes?: number;
}

export function parseCsvProfile(
  text: string,
  options: {
    readonly file: string;
    readonly tiers: readonly string[];
    readonly seed: number;
    readonly sessionMinutes: { readonly median: number; readonly p90: number };
  },
): Workload {
  const fail = (line: number, message: string): never => {
    throw new SimulationInputError(`${options.file} line ${line}: ${message}`);
  };
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  let kind: 'seconds' | 'iso' | undefined;
  const rows: Row[] = [];
  lines.forEach((raw, i) => {
    const line = i + 1;
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const cells = text.split(',').map((c) => c.trim());
    if (!header) {
      const ok =
        (cells.length === 2 || cells.length === 3) &&
        cells[0] === 'time' &&
        cells[1] === 'tier' &&
        (cells.length === 2 || cells[2] === 'durationMinutes');
      if (!ok) fail(line, `header must be "time,tier" or "time,tier,durationMinutes", got "${text}"`);
      header = cells;
      return;
    }
    if (cells.length !== header.length) {
      fail(line, `has ${cells.length} fields, the header has ${header.length} (${header.join(',')})`);
    }
    const [timeText, tier, minutesText] = cells as [string, string, string | undefined];
    const rowKind = NUMBER.test(timeText) ? 'seconds' : ISO.test(timeText) ? 'iso' : undefined;
    if (!rowKind) {
      fail(
        line,
        `time "${timeText}" is neither seconds (e.g. 12.5) nor an ISO 8601 timestamp (e.g. 2026-03-02T09:00:00Z)`,
      );
    }
    kind ??= rowKind;
    if (rowKind !== kind) fail(line, `time "${timeText}" mixes ${rowKind} with ${kind} of the lines before`);
    const time = rowKind === 'seconds' ? Number(timeText) : Date.parse(timeText) / 1000;
    if (!Number.isFinite(time)) fail(line, `time "${timeText}" is not a valid date`);
    if (!options.tiers.includes(tier))
      fail(line, `tier "${tier}" is not a tier (allowed: ${options.tiers.join(', ')})`);
    let minutes: number | undefined;
    if (minutesText !== undefined && minutesText !== '') {
      minutes = Number(minutesText);
      if (!NUMBER.test(minutesText) || minutes <= 0) {
        fail(line, `durationMinutes "${minutesText}" must be a number greater than 0`);
      }
    }
    rows.push({ line, time, tier, ...(minutes === undefined ? {} : { minutes }) });
  });
  if (!header) fail(1, 'is empty: expected a header "time,tier" and one line per session');
  if (rows.length === 0) fail(lines.length, 'has a header but no sessions');

  // Not Math.min(...times): a call takes at most about 125,000 arguments (config/append-all.ts).
  const start = rows.reduce((min, r) => Math.min(min, r.time), Number.POSITIVE_INFINITY);
  const random = seededRandom(options.seed);
  const { median, p90 } = options.sessionMinutes;
  const arrivals: Arrival[] = rows
    .map((r) => ({ ...r, time: r.time - start }))
    .sort((a, b) => a.time - b.time || a.line - b.line)
    .map((r) => ({
      time: r.time,
      tier: r.tier,
      durationSeconds: (r.minutes ?? logNormal(random, median, p90)) * 60,
    }));
  const last = arrivals[arrivals.length - 1]!.time;
  return {
    profile: options.file,
    description: `CSV ${options.file}: ${arrivals.length} sessions over ${Math.round(last)} s, observed ${CSV_OBSERVE_MINUTES} min after the last`,
    horizon: last + CSV_OBSERVE_MINUTES * 60,
    arrivals,
  };
}
