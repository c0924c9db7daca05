import { parse } from 'yaml';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvironment } from '../../config';
import { combineProbeRecords, describeMethod, GNU_TIME, measure, parseGnuTime } from '../../tools/bench/measure';
import { jestSummary, slowestTestFiles, synthInProcessMs, synthObjectCount } from '../../tools/bench/output';
import { packageOf, shortUrl, summarizeProfile, type CpuProfile } from '../../tools/bench/profile';
import {
  BEGIN_MARKER,
  END_MARKER,
  formatBytes,
  formatMs,
  formatReport,
  formatSummary,
  ratio,
  spliceReport,
  type BenchReport,
} from '../../tools/bench/report';
import { scaleStackFile, scaleStackName, scaleTenants, tenantName } from '../../tools/bench/scale';
import { growthExponent, median, summarize } from '../../tools/bench/stats';
import { scaleTargets } from '../../tools/bench/targets';
import { REPO_ROOT } from '../support/environments';

describe('stats', () => {
  it('median of odd and even counts, unsorted input', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('summary gives n, median, min and max', () => {
    expect(summarize([300, 100, 200, 1000])).toEqual({ n: 4, median: 250, min: 100, max: 1000 });
  });

  it('rejects no samples and non-finite samples', () => {
    expect(() => median([])).toThrow('median of no samples');
    expect(() => summarize([])).toThrow('summary of no samples');
    expect(() => summarize([1, Number.NaN])).toThrow('sample NaN is not a finite number');
  });

  it('growth exponent: 1 for linear, 2 for quadratic, below 1 with a fixed cost', () => {
    expect(growthExponent(100, 50, 1000, 500)).toBeCloseTo(1);
    expect(growthExponent(100, 1, 1000, 100)).toBeCloseTo(2);
    expect(growthExponent(100, 150, 1000, 600)).toBeLessThan(1);
    expect(() => growthExponent(100, 1, 100, 2)).toThrow('sizes must be positive and increasing');
    expect(() => growthExponent(10, 0, 100, 2)).toThrow('times must be positive');
  });
});

describe('scale environments', () => {
  const base = readFileSync(join(REPO_ROOT, 'Pulumi.staging.yaml'), 'utf8');

  it('tenant names are fixed-width and unique', () => {
    expect(tenantName(0, 10)).toBe('t0001');
    expect(tenantName(999, 1000)).toBe('t1000');
    expect(tenantName(0, 10000)).toBe('t00001');
    const names = scaleTenants(1000).map((t) => t.name);
    expect(new Set(names).size).toBe(1000);
    expect(scaleTenants(2)).toEqual([
      { name: 't0001', adminGroups: ['t0001-admins'], viewGroups: ['t0001-developers'] },
      { name: 't0002', adminGroups: ['t0002-admins'], viewGroups: ['t0002-developers'] },
    ]);
    expect(() => scaleTenants(0)).toThrow('tenant count must be a positive integer, got 0');
  });

  it('replaces only the tenants of the base stack file, keeping its comments', () => {
    const text = scaleStackFile(base, 3);
    expect(text).toContain('# Staging: the Lobstack platform');
    const raw = (parse(text) as { config: Record<string, Record<string, unknown>> }).config['agent-platform:platform']!;
    const original = (parse(base) as { config: Record<string, Record<string, unknown>> }).config[
      'agent-platform:platform'
    ]!;
    expect(raw.tenants).toEqual(scaleTenants(3));
    const { tenants: _a, ...rest } = raw;
    const { tenants: _b, ...originalRest } = original;
    expect(rest).toEqual(originalRest);
  });

  it('the generated environment is valid and declares every tenant namespace with guardrails', () => {
    const raw = (parse(scaleStackFile(base, 100)) as { config: Record<string, unknown> }).config[
      'agent-platform:platform'
    ];
    const { spec } = parseEnvironment(raw, { stack: scaleStackName(100), source: 'scale' });
    const tenants = spec.namespaces.filter((n) => n.kind === 'tenant');
    expect(tenants).toHaveLength(100);
    // The stacks log people in through OIDC: bindings name the prefixed IdP group.
    expect(tenants[99]).toMatchObject({ name: 'lobstack-t0100', adminGroups: ['oidc:t0100-admins'] });
    expect(tenants[0]!.quota.pods).toBe(50); // from tenantDefaults
  });

  it('fails clearly on a base file without the platform key', () => {
    expect(() => scaleStackFile('config: {}\n', 10)).toThrow(
      'base stack file has no config."agent-platform:platform" mapping',
    );
  });

  it('stack names', () => expect(scaleStackName(1000)).toBe('scale-1000'));
});

describe('measurement parsing', () => {
  it('reads GNU time -f "%M %U %S" output, ignoring a preceding status line', () => {
    expect(parseGnuTime('Command exited with non-zero status 1\n125432 1.25 0.10\n')).toEqual({
      peakRssBytes: 125432 * 1024,
      cpuMs: 1350,
    });
    expect(() => parseGnuTime('garbage')).toThrow('unexpected GNU time output');
  });

  it('combines probe records: largest RSS, summed CPU', () => {
    expect(
      combineProbeRecords([
        { maxRSS: 1000, cpu: 2_000_000 },
        { maxRSS: 3000, cpu: 500_000 },
      ]),
    ).toEqual({ peakRssBytes: 3000 * 1024, cpuMs: 2500 });
  });

  it('describes both methods', () => {
    expect(describeMethod('gnu-time')).toContain('GNU time');
    expect(describeMethod('node-probe')).toContain('NODE_OPTIONS');
  });

  it('reads what the synth and jest print', () => {
    // As charts-src/main.ts prints them (with and without waivers).
    const synth =
      'prod: 1 files, 12 objects; gate passed\n' +
      'staging: 2 files, 30 objects; gate passed, 5 waived (listed by npm run check)\nsynthesized 2 stacks in 67 ms\n';
    expect(synthInProcessMs(synth)).toBe(67);
    expect(synthObjectCount(synth)).toBe(42);
    expect(synthInProcessMs('scale-10: 1 files, 20 objects\nsynthesized 1 stack in 55.5 ms')).toBe(55.5);
    expect(synthInProcessMs('nothing')).toBeUndefined();
    const jest = 'Test Suites: 1 failed, 11 passed, 12 total\nTests:       2 failed, 120 passed, 122 total\n';
    expect(jestSummary(jest)).toBe('suites 1 failed, 11 passed, 12 total; tests 2 failed, 120 passed, 122 total');
    expect(jestSummary('no summary')).toBeUndefined();
  });

  it('lists the slowest test files of a jest --json report', () => {
    const report = {
      testResults: [
        { name: '/repo/test/a.test.ts', startTime: 1000, endTime: 1500 },
        { name: '/repo/test/b.test.ts', startTime: 1000, endTime: 9000 },
        { name: '/elsewhere/c.test.ts', perfStats: { start: 0, end: 2000 } },
        { name: '/repo/test/broken.test.ts' },
      ],
    };
    expect(slowestTestFiles(report, '/repo', 2)).toEqual([
      { file: 'test/b.test.ts', ms: 8000 },
      { file: '/elsewhere/c.test.ts', ms: 2000 },
    ]);
    expect(slowestTestFiles({}, '/repo', 5)).toEqual([]);
  });
});

describe('profile summary', () => {
  const frame = (functionName: string, url: string, lineNumber = 0) => ({
    functionName,
    url,
    lineNumber,
    columnNumber: 0,
  });
  const profile: CpuProfile = {
    startTime: 0,
    endTime: 10_000,
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4] },
      { id: 2, callFrame: frame('resolve', 'file:///r/node_modules/cdk8s/lib/resolve.js', 100) },
      { id: 3, callFrame: frame('toYaml', 'file:///r/charts-src/render.ts', 9) },
      { id: 4, callFrame: frame('(garbage collector)', '') },
    ],
    samples: [2, 2, 3, 4, 2],
    timeDeltas: [1000, 1000, 2000, 500, 500],
  };

  it('attributes self time to functions and packages, largest first', () => {
    const s = summarizeProfile(profile, { root: '/r' });
    expect(s.totalMs).toBe(5);
    expect(s.functions[0]).toEqual({ location: 'resolve (cdk8s/lib/resolve.js:101)', selfMs: 2.5, share: 0.5 });
    expect(s.functions[1]).toMatchObject({ location: 'toYaml (charts-src/render.ts:10)', selfMs: 2 });
    expect(s.packages.map((p) => p.name)).toEqual(['cdk8s', '(project)', '(garbage collector)']);
  });

  it('names packages, scoped ones included', () => {
    expect(packageOf('file:///x/node_modules/@pulumi/pulumi/index.js')).toBe('@pulumi/pulumi');
    expect(packageOf('node:fs')).toBe('(node)');
    expect(packageOf('', '(program)')).toBe('(program)');
    expect(shortUrl('file:///x/node_modules/yaml/dist/index.js')).toBe('yaml/dist/index.js');
  });
});

describe('report', () => {
  const report: BenchReport = {
    date: '2026-11-22 16:40 UTC',
    commit: 'abc123',
    machine: { cpu: 'Test CPU', cores: 2, memoryBytes: 24 * 1024 ** 3, node: 'v20.20.2', os: 'linux 6.1' },
    runs: 5,
    method: 'a method',
    rows: [
      {
        name: 'synth: all stacks',
        objects: 120,
        wall: { n: 5, median: 420, min: 400, max: 510 },
        inProcess: { n: 5, median: 120, min: 110, max: 130 },
        cpu: { n: 5, median: 500, min: 480, max: 520 },
        peakRss: { n: 5, median: 100 * 1024 * 1024, min: 99 * 1024 * 1024, max: 101 * 1024 * 1024 },
        floor: { n: 5, median: 60, min: 58, max: 70 },
        calibrationMs: 64.4,
      },
      { name: 'gate: prod', note: 'not available: no gate | yet' },
      {
        name: 'gate: staging',
        wall: { n: 1, median: 300, min: 300, max: 300 },
        calibrationMs: 91.2,
        unsteady: true,
      },
    ],
    targets: [
      { target: 'synth under 1 s', measured: '420 ms', met: true },
      { target: 'tests under 60 s', measured: 'skipped', met: undefined },
      { target: 'ratio', measured: '3×', met: false },
    ],
    load: 'load average 1.00 before, 2.00 after',
    slowestTests: [{ file: 'test/infra/program.test.ts', ms: 12_500 }],
    phases: {
      stack: 'scale-1000',
      objects: 8000,
      phases: [
        { label: 'load', ms: 100, cpuMs: 90 },
        { label: 'yaml', ms: 300, cpuMs: 290 },
      ],
      startupMs: 210,
    },
  };

  it('formats times, sizes, summaries and ratios', () => {
    expect(formatMs(12.4)).toBe('12 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(61_000)).toBe('61.0 s');
    expect(formatBytes(100 * 1024 * 1024)).toBe('100 MiB');
    expect(formatBytes(24 * 1024 ** 3)).toBe('24.0 GiB');
    expect(formatSummary({ n: 3, median: 420, min: 400, max: 510 })).toBe('420 ms (400 ms–510 ms)');
    expect(formatSummary({ n: 1, median: 420, min: 420, max: 420 })).toBe('420 ms');
    expect(formatSummary(undefined)).toBe('–');
    expect(ratio({ n: 1, median: 300, min: 300, max: 300 }, { n: 1, median: 100, min: 100, max: 100 })).toBe('3.00×');
    expect(ratio(undefined, { n: 1, median: 100, min: 100, max: 100 })).toBe('–');
  });

  it('writes the machine, date, commit, a row per benchmark and the targets', () => {
    const text = formatReport(report);
    expect(text).toContain('Measured 2026-11-22 16:40 UTC at commit `abc123`, 5 run(s) per benchmark');
    expect(text).toContain('Machine: Test CPU, 2 cores, 24.0 GiB memory, Node v20.20.2, linux 6.1.');
    expect(text).toContain('load average 1.00 before, 2.00 after');
    expect(text).toContain(
      '| synth: all stacks | 120 | 420 ms (400 ms–510 ms) | 120 ms (110 ms–130 ms) | 500 ms (480 ms–520 ms) | 100 MiB (99 MiB–101 MiB) | 60 ms (58 ms–70 ms) | 7.00× | 2.00× | 64 ms |',
    );
    expect(text).toContain('| In-process / floor | CPU calibration |');
    expect(text).toContain('| gate: prod | – | not available: no gate \\| yet | – | – | – | – | – | – | – |');
    expect(text).toContain('| gate: staging | – | 300 ms | – | – | – | – | – | – | 91 ms (not steady) |');
    expect(text).toContain('| synth under 1 s | 420 ms | yes |');
    expect(text).toContain('| tests under 60 s | skipped | not measured |');
    expect(text).toContain('| ratio | 3× | **no** |');
    expect(text).toContain('| yaml | 300 ms | 290 ms | 75% |');
    expect(text).toContain('| total | 400 ms | 380 ms | 100% |');
    expect(text).toContain("Node's start, module loading and exit take 210 ms");
    expect(text).toContain('| `test/infra/program.test.ts` | 12.5 s |');
  });

  it('replaces only the marked section of an existing file', () => {
    const existing = `# Benchmarks\n\nIntro.\n\n${BEGIN_MARKER}\nold\n${END_MARKER}\n\n## Findings\n\nKept.\n`;
    const updated = spliceReport(existing, 'new table');
    expect(updated).toBe(
      `# Benchmarks\n\nIntro.\n\n${BEGIN_MARKER}\n\nnew table\n\n${END_MARKER}\n\n## Findings\n\nKept.\n`,
    );
    expect(spliceReport(undefined, 'x')).toBe(`# Benchmarks\n\n${BEGIN_MARKER}\n\nx\n\n${END_MARKER}\n`);
    expect(spliceReport('# Mine\n', 'x')).toBe(`# Mine\n\n${BEGIN_MARKER}\n\nx\n\n${END_MARKER}\n`);
  });
});

describe('measure (spawns a real process)', () => {
  it.each(['gnu-time', 'node-probe'] as const)('%s: wall time, peak memory, CPU, exit code and output', (method) => {
    if (method === 'gnu-time' && !existsSync(GNU_TIME)) return;
    const m = measure(
      process.execPath,
      ['-e', 'const a = Buffer.alloc(64 * 1024 * 1024, 1); console.log(a[0]); process.exit(3)'],
      {
        method,
      },
    );
    expect(m.method).toBe(method);
    expect(m.exitCode).toBe(3);
    expect(m.stdout.trim()).toBe('1');
    expect(m.wallMs).toBeGreaterThan(0);
    expect(m.peakRssBytes).toBeGreaterThan(64 * 1024 * 1024);
    expect(m.cpuMs).toBeGreaterThan(0);
  });
});

describe('scale targets (issue #22)', () => {
  const s = (median: number) => ({ n: 1, median, min: median, max: median });
  const GIB = 1024 ** 3;

  it('judges 1,000 and 10,000 tenants: time, floor ratio, standalone gate, memory, growth', () => {
    const scale = new Map([
      [1000, { name: 'synth: 1000', objects: 10_155, wall: s(1800), inProcess: s(1500), floor: s(1600) }],
      [
        10000,
        {
          name: 'synth: 10000',
          objects: 100_155,
          wall: s(16_000),
          inProcess: s(15_500),
          cpu: s(20_000),
          floor: s(15_000),
          floorCpu: s(16_000),
          peakRss: s(GIB),
        },
      ],
    ]);
    const gates = new Map([[10000, { name: 'gate: 10000', wall: s(12_000), peakRss: s(2 * GIB) }]]);
    const results = scaleTargets(scale, gates);
    expect(results.map((r) => r.met)).toEqual([true, false, true, false, false, true]);
    expect(results[2]!.measured).toBe('1.07× (16.0 s / 15.0 s); in-process 1.03×; CPU 1.25×');
    expect(results[4]!.measured).toBe('synth 1.0 GiB, gate 2.0 GiB');
    expect(results[5]!.measured).toMatch(/^k = 1\.02; 148 µs\/object at 1,000, 155 µs\/object at 10,000$/);
  });

  it('says what was not run', () => {
    const results = scaleTargets(new Map(), new Map());
    expect(results.map((r) => r.met)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(results[3]!.measured).toBe('not run');
  });
});
