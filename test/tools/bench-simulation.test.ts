import { simulationArgs, simulationRow, simulationTarget } from '../../tools/bench/simulation';
import type { Measurement } from '../../tools/bench/measure';

const run = (wallMs: number): Measurement =>
  ({
    wallMs,
    cpuMs: wallMs - 100,
    peakRssBytes: 80 * 2 ** 20,
    exitCode: 0,
    stdout: 'x; 24h00m simulated (75662 events).',
    stderr: '',
  }) as Measurement;

describe('the simulation benchmark', () => {
  it('runs the prod daily profile and judges the median against 2 s', () => {
    expect(simulationArgs('/tmp/x')).toEqual(['--stack', 'prod', '--profile', 'daily', '--out', '/tmp/x']);
    const row = simulationRow([run(900), run(1100), run(1000)]);
    expect(row.wall!.median).toBe(1000);
    expect(row.note).toBe('75662 simulated events');
    expect(simulationTarget(row)).toMatchObject({ measured: '1.00 s', met: true });
    expect(simulationTarget(simulationRow([run(2500)])).met).toBe(false);
    expect(simulationTarget({ name: 'x', note: 'failed: boom' })).toMatchObject({
      measured: 'failed: boom',
      met: undefined,
    });
  });
});
