/**
 * `npm run bench`: how long the synth, the gate and the test suite take, whole
 * process, and how the synth scales with tenants. Writes docs/benchmarks.md.
 *
 *   --runs <n>        measured runs per benchmark (after one warm-up run)   default 5
 *   --quick           2 runs, no test suite, and docs/ is not written unless --output is given
 *   --tests <n>       runs of the test suite (it is slow)                     default min(2, runs)
 *   --tenants <list>  sizes of the scale series                              default 10,100,1000,10000
 *                     (sizes of 5,000 tenants and more: at most 2 runs, no warm-up run)
 *   --output <file>   where the report goes                                  default docs/benchmarks.md
 *   --no-write        print the report only
 *   --keep            keep the temporary folder (synth output, scale stack files)
 *
 * `npm run bench -- profile [--tenants <n>] [--top <n>]`: runs one synth of the staging
 * environment with n tenants (default 1000) under `node --cpu-prof` and prints the self
 * time per package and the top functions.
 *
 * Internal subcommands (run in fresh processes by the benchmark itself):
 *   floor <dist/stack>...   YAML-only serialization of the objects in those folders
 *   phases <root> <stack>   in-process time per synth phase
 */
import { Command } from 'commander';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { findStackFiles } from '../config';
import { floorMismatches, readRenderedStack, serializeFloor } from './bench/floor';
import { describeMethod, defaultMethod, measure, type Measurement } from './bench/measure';
import { measurePhases, PHASE_LABELS, PHASES, type PhaseTimes } from './bench/phases';
import {
  formatMs,
  formatReport,
  spliceReport,
  type BenchReport,
  type BenchRow,
  type Machine,
  type PhaseBreakdown,
  type TargetResult,
} from './bench/report';
import { jestSummary, slowestTestFiles, synthInProcessMs, synthObjectCount, type SlowFile } from './bench/output';
import { calibrate, describeCalibration, waitForSteadyCpu } from './bench/cpu-speed';
import { describeSteal, readCpuTicks, stealShare } from './bench/cpu-steal';
import { formatProfile, summarizeProfile, type CpuProfile } from './bench/profile';
import { scaleStackFile, scaleStackName } from './bench/scale';
import { growthExponent, median, summarize } from './bench/stats';
import { SIMULATION_BENCH, simulationArgs, simulationRow, simulationTarget } from './bench/simulation';
import { scaleTargets } from './bench/targets';

/** Scale sizes from which a benchmark runs at most twice and without a warm-up (each run takes tens of seconds). */
const LARGE_TENANTS = 5000;

const NODE = process.execPath;

interface Options {
  runs: number;
  quick?: boolean;
  tests?: number;
  tenants: number[];
  output: string;
  write: boolean;
  keep?: boolean;
  steady?: number;
}

class BenchError extends Error {}

function positiveInt(name: string, allowZero = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
      throw new BenchError(`${name} must be a${allowZero ? ' non-negative' : ' positive'} integer, got "${value}"`);
    }
    return n;
  };
}

function tenantList(value: string): number[] {
  const sizes = value.split(',').map((v) => positiveInt('--tenants')(v.trim()));
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function machine(): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown CPU',
    cores: cpu.length,
    memoryBytes: totalmem(),
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

function gitCommit(root: string): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim() !==
      '';
    return dirty ? `${sha} + uncommitted changes` : sha;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** The CPU calibration (tools/bench/cpu-speed.ts) taken before each benchmark's measured runs, by label. */
const calibrations = new Map<string, { readonly calibrationMs: number; readonly steady: boolean }>();

/** With `--steady <ms>`: the calibration each benchmark waits for before its measured runs. */
let steadyLimitMs: number | undefined;

/** The row with the calibration taken before its runs. */
function withCalibration(row: BenchRow): BenchRow {
  const cpu = calibrations.get(row.name);
  if (!cpu) return row;
  return { ...row, calibrationMs: cpu.calibrationMs, ...(cpu.steady ? {} : { unsteady: true }) };
}

/** The CPU's speed right before a benchmark's measured runs, after waiting for it to be steady when asked. */
function cpuBeforeRuns(label: string): { calibrationMs: number; steady: boolean } {
  if (steadyLimitMs === undefined) return { calibrationMs: calibrate(3), steady: true };
  const cpu = waitForSteadyCpu({ limitMs: steadyLimitMs });
  if (cpu.waitedMs >= 1000) {
    log(
      `  ${label}: waited ${(cpu.waitedMs / 1000).toFixed(0)} s for the CPU (calibration ${cpu.calibrationMs.toFixed(0)} ms${cpu.steady ? '' : ', not steady'})`,
    );
  }
  return cpu;
}

/** Runs a command once unrecorded (warm-up, and a check that it works), then `runs` times. */
function repeat(
  label: string,
  runs: number,
  run: () => Measurement,
  ok: (m: Measurement) => boolean,
  warmUp = true,
): Measurement[] {
  const check = (m: Measurement) => {
    if (!ok(m)) {
      throw new BenchError(
        `${label} failed (exit ${m.exitCode}):\n${(m.stderr || m.stdout).trim().split('\n').slice(-20).join('\n')}`,
      );
    }
    return m;
  };
  if (warmUp) check(run());
  // The CPU's speed right before this row's measured runs: rows of one report can be read
  // against each other even when the machine's speed changes during the report.
  calibrations.set(label, cpuBeforeRuns(label));
  const results: Measurement[] = [];
  for (let i = 0; i < runs; i++) results.push(check(run()));
  return results;
}

const wallOf = (ms: readonly Measurement[]) => summarize(ms.map((m) => m.wallMs));
const cpuOf = (ms: readonly Measurement[]) => summarize(ms.map((m) => m.cpuMs));
const rssOf = (ms: readonly Measurement[]) => summarize(ms.map((m) => m.peakRssBytes));

function benchSynth(
  name: string,
  root: string,
  outDir: string,
  runs: number,
  buildDir: string,
  stacks: readonly string[],
  { args = [], warmUp = true }: { args?: readonly string[]; warmUp?: boolean } = {},
): BenchRow {
  const synth = repeat(
    name,
    runs,
    () => measure(NODE, [join(buildDir, 'synth.js'), '--root', root, '--out', outDir, ...args], { cwd: root }),
    (m) => m.exitCode === 0,
    warmUp,
  );
  const inProcess = synth.map((m) => synthInProcessMs(m.stdout)).filter((v): v is number => v !== undefined);
  const floorRuns = repeat(
    `${name} (floor)`,
    runs,
    () => measure(NODE, [join(buildDir, 'bench.js'), 'floor', ...stacks.map((s) => join(outDir, s))], { cwd: root }),
    (m) => m.exitCode === 0,
    warmUp,
  );
  const floors = floorRuns.map(
    (m) => JSON.parse(m.stdout) as { ms: number; cpuMs: number; objects: number; mismatches: string[] },
  );
  const mismatches = floors[0]?.mismatches ?? [];
  const row: BenchRow = {
    name,
    objects: synthObjectCount(synth[0]!.stdout),
    wall: wallOf(synth),
    ...(inProcess.length > 0 ? { inProcess: summarize(inProcess) } : {}),
    cpu: cpuOf(synth),
    peakRss: rssOf(synth),
    floor: summarize(floors.map((f) => f.ms)),
    floorCpu: summarize(floors.map((f) => f.cpuMs)),
    ...(mismatches.length > 0 ? { note: `floor text differs from the synth's files: ${mismatches.join(', ')}` } : {}),
  };
  log(`  ${name}: ${formatMs(row.wall!.median)} wall, ${row.objects} objects, floor ${formatMs(row.floor!.median)}`);
  return row;
}

/** Runs one benchmark; a failure becomes a row that says so (the full message goes to stderr). */
function attempt(name: string, bench: () => BenchRow): BenchRow {
  try {
    return bench();
  } catch (error) {
    if (!(error instanceof BenchError)) throw error;
    log(`  ${error.message}`);
    return { name, note: `failed: ${error.message.split('\n')[0]}` };
  }
}

const skipped = (name: string, why: string): BenchRow => ({ name, note: `skipped: ${why}` });

function benchGate(
  name: string,
  root: string,
  outDir: string,
  stack: string,
  runs: number,
  buildDir: string,
  objects?: number,
  warmUp = true,
): BenchRow {
  const check = join(buildDir, 'check.js');
  if (!existsSync(check)) {
    return { name, note: 'not available: the gate (policy/cli.ts → build/check.js) is not on this branch yet' };
  }
  // Exit 0: clean, 1: findings at error level (the gate ran to the end either way), 2: unusable input.
  const results = repeat(
    name,
    runs,
    () => measure(NODE, [check, join(outDir, stack), '--stack', stack, '--root', root], { cwd: root }),
    (m) => m.exitCode === 0 || m.exitCode === 1,
    warmUp,
  );
  const findings = results[0]!.exitCode === 1 ? 'error-level findings' : undefined;
  const row: BenchRow = {
    name,
    ...(objects === undefined ? {} : { objects }),
    wall: wallOf(results),
    cpu: cpuOf(results),
    peakRss: rssOf(results),
    ...(findings ? { note: findings } : {}),
  };
  log(`  ${name}: ${formatMs(row.wall!.median)} wall`);
  return row;
}

function benchTests(root: string, runs: number, work: string): { row: BenchRow; slowest: SlowFile[] } {
  const name = 'test suite: npx jest';
  if (runs === 0) return { row: { name, note: 'skipped (--quick or --tests 0)' }, slowest: [] };
  const json = join(work, 'jest.json');
  // No warm-up run: the suite is slow, and the first run (cold ts-jest cache) is a real case.
  // --json only adds a report file (per-file durations for the table of slowest files).
  const results = repeat(
    name,
    runs,
    () => measure('npx', ['jest', '--json', '--outputFile', json], { cwd: root, timeoutMs: 900_000 }),
    () => true,
    false,
  );
  const failed = results.some((m) => m.exitCode !== 0);
  const summary = jestSummary(results[results.length - 1]!.stderr);
  const row: BenchRow = {
    name,
    wall: wallOf(results),
    cpu: cpuOf(results),
    peakRss: rssOf(results),
    note: `${summary ?? 'no jest summary found'}${failed ? '; exit code non-zero' : ''}`,
  };
  log(`  ${name}: ${formatMs(row.wall!.median)} wall (${row.note})`);
  let slowest: SlowFile[] = [];
  try {
    slowest = slowestTestFiles(JSON.parse(readFileSync(json, 'utf8')), root, 8);
  } catch {
    slowest = [];
  }
  return { row, slowest };
}

function medianPhases(root: string, stack: string, runs: number, buildDir: string) {
  const results = repeat(
    `phases of ${stack}`,
    runs,
    () => measure(NODE, [join(buildDir, 'bench.js'), 'phases', root, stack], { cwd: root }),
    (m) => m.exitCode === 0,
    false,
  ).map((m) => JSON.parse(m.stdout) as PhaseTimes);
  return {
    stack,
    objects: results[0]!.objects,
    phases: PHASES.map((p) => ({
      label: PHASE_LABELS[p],
      ms: median(results.map((r) => r.phases[p])),
      cpuMs: median(results.map((r) => r.cpu[p])),
    })),
  };
}

function targets(
  synthAll: BenchRow,
  gates: readonly BenchRow[],
  scale: ReadonlyMap<number, BenchRow>,
  scaleGates: ReadonlyMap<number, BenchRow>,
  tests: BenchRow,
  gatePhaseMs?: number,
): { targets: TargetResult[]; growth?: string } {
  const out: TargetResult[] = [];
  const gateWall = gates.every((g) => g.wall) ? gates.reduce((s, g) => s + g.wall!.median, 0) : undefined;
  const synthWall = synthAll.wall?.median;
  // Since the gate landed, the synth gates every stack in-process before it writes
  // (charts-src/synthesize.ts gateStacks): the synth alone is "synth + gate".
  out.push({
    target: 'synth + gate of both stacks under 1 s: the synth, which runs the gate on every stack before writing',
    measured: synthWall === undefined ? (synthAll.note ?? 'synth not measured') : formatMs(synthWall),
    met: synthWall === undefined ? undefined : synthWall < 1000,
  });
  out.push({
    target: 'the same plus the standalone gate per stack (check.js dist/<stack> --stack <stack>, one process each)',
    measured:
      synthWall === undefined || gateWall === undefined
        ? `not measured (${gates.find((g) => !g.wall)?.note ?? synthAll.note ?? ''})`
        : `${formatMs(synthWall + gateWall)} (synth ${formatMs(synthWall)} + gate ${formatMs(gateWall)})`,
    met: synthWall === undefined || gateWall === undefined ? undefined : synthWall + gateWall < 1000,
  });
  const big = scale.get(1000);
  out.push({
    target: '1,000 tenants: synth at most 2× the floor (whole process / YAML-only serialization)',
    measured:
      big?.wall && big.floor
        ? `${(big.wall.median / big.floor.median).toFixed(2)}× (${formatMs(big.wall.median)} / ${formatMs(big.floor.median)}); ` +
          `in-process ${big.inProcess ? (big.inProcess.median / big.floor.median).toFixed(2) : '–'}×; ` +
          `CPU ${big.cpu && big.floorCpu ? (big.cpu.median / big.floorCpu.median).toFixed(2) : '–'}× (${big.cpu ? formatMs(big.cpu.median) : '–'} / ${big.floorCpu ? formatMs(big.floorCpu.median) : '–'})` +
          (gatePhaseMs === undefined
            ? ''
            : `; without the in-process gate (${formatMs(gatePhaseMs)}) ${((big.wall.median - gatePhaseMs) / big.floor.median).toFixed(2)}×`)
        : 'not run',
    met: big?.wall && big.floor ? big.wall.median <= 2 * big.floor.median : undefined,
  });
  out.push(...scaleTargets(scale, scaleGates));
  out.push({
    target: 'whole test suite under 60 s',
    measured: tests.wall ? formatMs(tests.wall.median) : (tests.note ?? 'not run'),
    met: tests.wall ? tests.wall.median < 60_000 : undefined,
  });
  let growth: string | undefined;
  const small = scale.get(100);
  if (small?.inProcess && big?.inProcess && small.objects && big.objects) {
    const k = growthExponent(small.objects, small.inProcess.median, big.objects, big.inProcess.median);
    const perSmall = (small.inProcess.median / small.objects) * 1000;
    const perBig = (big.inProcess.median / big.objects) * 1000;
    out.push({
      target: 'growth from 100 to 1,000 tenants close to linear (in-process time ∝ objects^k, k ≤ 1.1)',
      measured: `k = ${k.toFixed(2)}; ${perSmall.toFixed(0)} µs/object at 100 tenants, ${perBig.toFixed(0)} µs/object at 1,000`,
      met: k <= 1.1,
    });
    growth =
      'Growth is fitted on in-process synth time (what the synth logs), which leaves out process start and module loading; ' +
      'a k below 1 means fixed costs still dominate at 100 tenants.';
  }
  return { targets: out, ...(growth ? { growth } : {}) };
}

function run(opts: Options): number {
  const root = process.cwd();
  const buildDir = join(root, 'build');
  for (const file of ['synth.js', 'bench.js', 'simulate.js']) {
    if (!existsSync(join(buildDir, file))) {
      throw new BenchError(
        `build/${file} is missing: run \`npm run bench\` (it builds first) from the repository root`,
      );
    }
  }
  const runs = opts.quick ? Math.min(opts.runs, 2) : opts.runs;
  steadyLimitMs = opts.steady;
  const testRuns = opts.quick ? 0 : (opts.tests ?? Math.min(2, runs));
  const work = mkdtempSync(join(tmpdir(), 'agent-platform-bench-'));
  try {
    const loadBefore = loadavg();
    const ticksBefore = readCpuTicks();
    const calibrationBefore = calibrate();
    log(`benchmarking in ${work} (${runs} runs each; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')})`);
    const rows: BenchRow[] = [];
    const mainOut = join(work, 'dist');
    const stacks = readStacks(root);
    const synthName = `synth: all stacks (${stacks.join(', ')})`;
    const synthAll = attempt(synthName, () => benchSynth(synthName, root, mainOut, runs, buildDir, stacks));
    rows.push(synthAll);
    // The same in one thread (no worker threads), to show what the threads bring.
    const singleName = `synth: all stacks, one thread (--threads 1)`;
    rows.push(
      attempt(singleName, () =>
        benchSynth(singleName, root, join(work, 'dist-1'), runs, buildDir, stacks, { args: ['--threads', '1'] }),
      ),
    );
    const gates = stacks.map((s) =>
      synthAll.wall
        ? attempt(`gate: ${s}`, () => benchGate(`gate: ${s}`, root, mainOut, s, runs, buildDir))
        : skipped(`gate: ${s}`, 'the synth failed'),
    );
    rows.push(...gates);
    const base = readFileSync(join(root, 'Pulumi.staging.yaml'), 'utf8');
    const scale = new Map<number, BenchRow>();
    const scaleGates = new Map<number, BenchRow>();
    const runsAt = (n: number) => (n >= LARGE_TENANTS ? Math.min(runs, 2) : runs);
    for (const n of opts.tenants) {
      const warmUp = n < LARGE_TENANTS;
      const dir = join(work, `scale-${n}`);
      mkdirSync(dir);
      const stack = scaleStackName(n);
      writeFileSync(join(dir, `Pulumi.${stack}.yaml`), scaleStackFile(base, n));
      const name = `synth: ${n} tenants (staging + ${n} tenants)`;
      const row = attempt(name, () =>
        benchSynth(name, dir, join(dir, 'dist'), runsAt(n), buildDir, [stack], { warmUp }),
      );
      scale.set(n, row);
      rows.push(row);
      const gate = `gate: ${n} tenants`;
      const gateRow = row.wall
        ? attempt(gate, () => benchGate(gate, dir, join(dir, 'dist'), stack, runsAt(n), buildDir, row.objects, warmUp))
        : skipped(gate, 'the synth failed');
      scaleGates.set(n, gateRow);
      rows.push(gateRow);
    }
    const largest = opts.tenants[opts.tenants.length - 1];
    let phases: PhaseBreakdown | undefined;
    if (largest !== undefined && scale.get(largest)?.wall) {
      try {
        const row = scale.get(largest)!;
        phases = {
          ...medianPhases(join(work, `scale-${largest}`), scaleStackName(largest), runsAt(largest), buildDir),
          ...(row.wall && row.inProcess ? { startupMs: Math.max(0, row.wall.median - row.inProcess.median) } : {}),
        };
      } catch (error) {
        if (!(error instanceof BenchError)) throw error;
        log(`  ${error.message}`);
      }
    }
    const simulation = attempt(SIMULATION_BENCH, () =>
      simulationRow(
        repeat(
          SIMULATION_BENCH,
          runs,
          () =>
            measure(NODE, [join(buildDir, 'simulate.js'), ...simulationArgs(join(work, 'simulate'))], { cwd: root }),
          (m) => m.exitCode === 0,
        ),
      ),
    );
    rows.push(simulation);
    const tests = benchTests(root, testRuns, work);
    rows.push(tests.row);
    // The phases are measured at the largest size; the "without the gate" figure of the
    // 1,000-tenant target only holds when that size is 1,000.
    const gatePhaseMs = largest === 1000 ? phases?.phases.find((p) => p.label === PHASE_LABELS.gate)?.ms : undefined;
    const { targets: targetResults, growth } = targets(synthAll, gates, scale, scaleGates, tests.row, gatePhaseMs);
    targetResults.push(simulationTarget(simulation));
    const loadAfter = loadavg();
    const steal = describeSteal(stealShare(ticksBefore, readCpuTicks()));
    const calibration =
      describeCalibration(calibrationBefore, calibrate()) +
      (opts.steady === undefined
        ? ''
        : `; before its measured runs, each benchmark waited up to 10 minutes until three calibration timings in a row were each at most ${opts.steady} ms (--steady; "not steady" in the last column: they never were)`);
    const report: BenchReport = {
      date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      commit: gitCommit(root),
      machine: machine(),
      runs,
      method: `${describeMethod(defaultMethod())}; every benchmark is a fresh process, after one unrecorded warm-up run (the test suite: none); the floor serializes the synth's own output objects (read back as plain data) with \`yaml\` \`stringify\` and the options of charts-src/render.ts, timed inside a fresh process`,
      load: `1-minute load average ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after, on ${cpus().length} cores (above the core count, other work competed for the CPU and wall times are inflated; CPU times much less so); ${steal}; ${calibration}`,
      rows: rows.map(withCalibration),
      targets: targetResults,
      ...(phases ? { phases } : {}),
      ...(growth ? { growth } : {}),
      ...(tests.slowest.length > 0 ? { slowestTests: tests.slowest } : {}),
    };
    const section = formatReport(report);
    process.stdout.write(`${section}\n`);
    if (opts.write) {
      const output = resolve(root, opts.output);
      const existing = existsSync(output) ? readFileSync(output, 'utf8') : undefined;
      writeFileSync(output, spliceReport(existing, section));
      log(`wrote ${opts.output}`);
    }
    return 0;
  } finally {
    if (opts.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

function readStacks(root: string): string[] {
  // The same discovery as the synth; the files are loaded by the measured processes only.
  const stacks = findStackFiles(root).map((f) => f.stack);
  if (stacks.length === 0) throw new BenchError(`no Pulumi.<stack>.yaml files in ${root}`);
  return stacks;
}

function floorCommand(dirs: string[]): void {
  const files = dirs.flatMap((d) => readRenderedStack(d));
  const { ms, cpuMs, texts } = serializeFloor(files);
  const objects = files.reduce((n, f) => n + f.objects.length, 0);
  process.stdout.write(`${JSON.stringify({ ms, cpuMs, objects, mismatches: floorMismatches(files, texts) })}\n`);
}

function profileCommand(opts: { tenants: string; top: string }): void {
  const root = process.cwd();
  const tenants = positiveInt('--tenants')(opts.tenants);
  const top = positiveInt('--top')(opts.top);
  const work = mkdtempSync(join(tmpdir(), 'agent-platform-profile-'));
  try {
    const stack = scaleStackName(tenants);
    writeFileSync(
      join(work, `Pulumi.${stack}.yaml`),
      scaleStackFile(readFileSync(join(root, 'Pulumi.staging.yaml'), 'utf8'), tenants),
    );
    const profDir = join(work, 'profile');
    const m = measure(
      NODE,
      [
        '--cpu-prof',
        '--cpu-prof-dir',
        profDir,
        join(root, 'build', 'synth.js'),
        '--root',
        work,
        '--out',
        join(work, 'dist'),
      ],
      { cwd: root },
    );
    if (m.exitCode !== 0) throw new BenchError(`synth failed (exit ${m.exitCode}):\n${m.stderr.trim()}`);
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new BenchError(`no .cpuprofile written to ${profDir}`);
    const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as CpuProfile;
    process.stdout.write(`${m.stdout.trim()}\n${formatProfile(summarizeProfile(profile, { top, root }))}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(argv: string[]): number {
  const program = new Command()
    .name('bench')
    .description('Benchmark the synth, the gate and the test suite; write docs/benchmarks.md')
    .option('--runs <n>', 'measured runs per benchmark', positiveInt('--runs'), 5)
    .option('--quick', '2 runs, no test suite, no docs/ write unless --output is given')
    .option('--tests <n>', 'runs of the test suite (default: min(2, runs))', positiveInt('--tests', true))
    .option('--tenants <list>', 'tenant counts of the scale series', tenantList, [10, 100, 1000, 10000])
    .option('--output <file>', 'report file', 'docs/benchmarks.md')
    .option('--no-write', 'print the report, write nothing')
    .option('--keep', 'keep the temporary folder')
    .option(
      '--steady <ms>',
      "before each benchmark's measured runs, wait (up to 10 minutes) until three timings of the CPU calibration in a row are each at most <ms>: a shared machine's slow spells double every time",
      positiveInt('--steady'),
    )
    .enablePositionalOptions()
    .exitOverride()
    .action(() => undefined);
  program
    .command('profile')
    .description('CPU profile of one synth of the staging environment with n tenants')
    .option('--tenants <n>', 'tenant count', '1000')
    .option('--top <n>', 'functions to list', '30')
    .action((o: { tenants: string; top: string }) => profileCommand(o));
  program
    .command('floor', { hidden: true })
    .argument('<dirs...>')
    .action((dirs: string[]) => floorCommand(dirs));
  program
    .command('phases', { hidden: true })
    .argument('<root>')
    .argument('<stack>')
    .action((root: string, stack: string) => {
      process.stdout.write(`${JSON.stringify(measurePhases(root, stack))}\n`);
    });
  try {
    program.parse(argv);
  } catch (error) {
    if (error instanceof BenchError) {
      console.error(`bench: ${error.message}`);
      return 2;
    }
    return (error as { exitCode?: number }).exitCode ?? 2;
  }
  const sub = program.args[0];
  if (sub === 'floor' || sub === 'phases' || sub === 'profile') return 0;
  const opts = program.opts<Options>();
  const write = opts.write && !(opts.quick && program.getOptionValueSource('output') === 'default');
  try {
    return run({ ...opts, write });
  } catch (error) {
    if (error instanceof BenchError) {
      console.error(`bench: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv);
