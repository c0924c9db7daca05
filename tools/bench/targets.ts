/**
 * The scale targets of issue #22, judged from the rows of one bench run: 1,000 tenants
 * under 2 s; 10,000 tenants synthesized and gated in-process under 15 s and within 1.3×
 * the floor (YAML serialization with the `yaml` library alone, as the synth did before
 * its own emitter), the standalone gate on them under 10 s, peak memory of either under
 * 1.5 GiB, and growth from 1,000 to 10,000 tenants close to linear.
 */
import type { BenchRow, TargetResult } from './report';
import { formatBytes, formatMs } from './report';
import { growthExponent } from './stats';

export const LARGE_SCALE = 10_000;
const GIB = 1024 ** 3;

function ratioText(row: BenchRow): string {
  const r = (a?: { median: number }, b?: { median: number }) => (a && b ? (a.median / b.median).toFixed(2) : '–');
  return (
    `${r(row.wall, row.floor)}× (${formatMs(row.wall!.median)} / ${formatMs(row.floor!.median)}); ` +
    `in-process ${r(row.inProcess, row.floor)}×; CPU ${r(row.cpu, row.floorCpu)}×`
  );
}

/** Targets on the 1,000- and 10,000-tenant rows (synth and standalone gate), and growth between them. */
export function scaleTargets(
  scale: ReadonlyMap<number, BenchRow>,
  gates: ReadonlyMap<number, BenchRow>,
): TargetResult[] {
  const out: TargetResult[] = [];
  const thousand = scale.get(1000);
  out.push({
    target: '1,000 tenants: synth under 2 s (whole process, in-process gate included)',
    measured: thousand?.wall ? `${formatMs(thousand.wall.median)} (${thousand.objects} objects)` : 'not run',
    met: thousand?.wall ? thousand.wall.median < 2000 : undefined,
  });
  const large = scale.get(LARGE_SCALE);
  const gate = gates.get(LARGE_SCALE);
  out.push({
    target: '10,000 tenants: synth under 15 s (whole process, in-process gate included)',
    measured: large?.wall ? `${formatMs(large.wall.median)} (${large.objects} objects)` : 'not run',
    met: large?.wall ? large.wall.median < 15_000 : undefined,
  });
  out.push({
    target:
      '10,000 tenants: synth within 1.3× the floor (whole process / YAML-only serialization with the yaml library)',
    measured: large?.wall && large.floor ? ratioText(large) : 'not run',
    met: large?.wall && large.floor ? large.wall.median <= 1.3 * large.floor.median : undefined,
  });
  out.push({
    target: '10,000 tenants: standalone gate under 10 s (whole process)',
    measured: gate?.wall ? formatMs(gate.wall.median) : (gate?.note ?? 'not run'),
    met: gate?.wall ? gate.wall.median < 10_000 : undefined,
  });
  const peaks = [large, gate].map((r) => r?.peakRss?.median);
  out.push({
    target: '10,000 tenants: peak memory of the synth and of the standalone gate under 1.5 GiB each',
    measured:
      peaks[0] !== undefined || peaks[1] !== undefined
        ? `synth ${peaks[0] === undefined ? '–' : formatBytes(peaks[0])}, gate ${peaks[1] === undefined ? '–' : formatBytes(peaks[1])}`
        : 'not run',
    met: peaks.every((p) => p !== undefined) ? peaks.every((p) => p! < 1.5 * GIB) : undefined,
  });
  if (thousand?.inProcess && large?.inProcess && thousand.objects && large.objects) {
    const k = growthExponent(thousand.objects, thousand.inProcess.median, large.objects, large.inProcess.median);
    out.push({
      target: 'growth from 1,000 to 10,000 tenants close to linear (in-process synth time ∝ objects^k, k ≤ 1.1)',
      measured:
        `k = ${k.toFixed(2)}; ${((thousand.inProcess.median / thousand.objects) * 1000).toFixed(0)} µs/object at 1,000, ` +
        `${((large.inProcess.median / large.objects) * 1000).toFixed(0)} µs/object at 10,000`,
      met: k <= 1.1,
    });
  }
  return out;
}
