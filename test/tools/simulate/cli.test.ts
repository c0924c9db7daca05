import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulate } from '../../../tools/simulate';
import { rawStack, REPO_ROOT } from '../../support/environments';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'simulate-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A root folder holding one stack file made from the prod environment, changed by `edit`. */
function rootWith(stack: string, edit: (raw: ReturnType<typeof rawStack>) => void): string {
  const raw = rawStack('prod');
  edit(raw);
  const root = join(work, 'root');
  mkdirSync(root);
  writeFileSync(join(root, `Pulumi.${stack}.yaml`), `config:\n  agent-platform:platform: ${JSON.stringify(raw)}\n`);
  return root;
}

const burstObjective = { profile: 'burst', percentile: 'p95', maxStartSeconds: 60 };

describe('npm run simulate', () => {
  it('prints the percentiles, the binding limit and the cost of prod under a burst, and writes the charts', () => {
    const out = join(work, 'charts');
    const r = runSimulate(['--stack', 'prod', '--profile', 'burst', '--out', out], REPO_ROOT);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('### Simulation: `prod`, profile `burst`, seed 1');
    expect(r.out).toMatch(/\| all \| 300 \| 300 \| \d+ \| \d+ s \| \d+ s \| \d+ s \| \d+ s \|/);
    expect(r.out).toContain('**Bound first: warm pool** at 0m00s');
    expect(r.out).toMatch(/Cost of the period: \*\*[\d.]+ EUR\*\* .*per started session/);
    expect(r.out).toContain(
      '| nodeProvisionSeconds | 90 s | serverCreate 15 s + boot 20 s + k3sAgentJoin 35 s + runscInstall 20 s;',
    );
    expect(r.written.map((f) => f.slice(out.length + 1))).toEqual([
      'prod-burst/latency.svg',
      'prod-burst/nodes.svg',
      'prod-burst/pods.svg',
      'prod-burst/api.svg',
      'prod-burst/api-utilization.svg',
    ]);
    for (const file of r.written)
      expect(readFileSync(file, 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const nodes = readFileSync(join(out, 'prod-burst/nodes.svg'), 'utf8');
    expect(nodes).toContain('pool max 40');
    expect(nodes).toContain('API pool max 12');
    expect(readFileSync(join(out, 'prod-burst/api-utilization.svg'), 'utf8')).toContain('HPA target 70 %');
    // The API's own section: its HPA bounds, utilization, pool; and its pool in the cost.
    expect(r.out).toMatch(
      /API: replicas 3–50, peak \d+, .*CPU utilization p50 \d+ %, p95 \d+ %, max \d+ % \(HPA target 70 %\)/,
    );
    expect(r.out).toContain('Pool `api` (cpx32): 3 at the start');
    expect(r.out).toMatch(/API pool [\d.]+ EUR/);
    expect(r.out).toContain('| requestsPerSecondPerActiveSession | 0.5 req/s | assumption:');
  });

  it('gives the same bytes for the same seed', () => {
    const a = runSimulate(['--stack', 'prod', '--out', join(work, 'a')], REPO_ROOT);
    const b = runSimulate(['--stack', 'prod', '--out', join(work, 'b')], REPO_ROOT);
    expect(a.out.replace(/ \S+\/(a|b)\//g, ' ')).toBe(b.out.replace(/ \S+\/(a|b)\//g, ' '));
    expect(readFileSync(join(work, 'a/prod-burst/latency.svg'), 'utf8')).toBe(
      readFileSync(join(work, 'b/prod-burst/latency.svg'), 'utf8'),
    );
    const other = runSimulate(['--stack', 'prod', '--seed', '2', '--out', join(work, 'c')], REPO_ROOT);
    expect(other.out).not.toBe(a.out);
  });

  it('--check on prod: the starter objective is met, the burst one is an accepted miss with its numbers', () => {
    const r = runSimulate(['--check', '--stack', 'prod', '--out', join(work, 'out')], REPO_ROOT);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\| p95 session start ≤ 60 s \(profile daily, tier starter\).* \| [\d.]+ s \| met \|/);
    expect(r.err).toMatch(
      /^simulate: prod: missed p95 session start ≤ 60 s \(profile burst, all tiers\).*: measured \d+ s; p50 \d+ s, p95 \d+ s, p99 \d+ s over 300 sessions \(300 started\); bound first: warm pool .* \(accepted: the 8 minimum agent nodes/,
    );
  });

  it('--check fails with the numbers when a declared objective is missed', () => {
    const root = rootWith('tight', (raw) => {
      raw.simulation = { objectives: [burstObjective] };
    });
    const r = runSimulate(['--check', '--root', root, '--out', join(work, 'out')], REPO_ROOT);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^simulate: tight: missed p95 session start ≤ 60 s \(profile burst, all tiers\): measured \d+ s; p50 \d+ s, p95 \d+ s, p99 \d+ s over 300 sessions/,
    );
    expect(r.out).toContain('| **missed** |');
  });

  it('--check fails when an objective marked acceptedMiss is met, so the marker does not outlive the gap', () => {
    const root = rootWith('loose', (raw) => {
      raw.simulation = { objectives: [{ ...burstObjective, maxStartSeconds: 3600, acceptedMiss: 'too slow' }] };
    });
    const r = runSimulate(['--check', '--stack', 'loose', '--root', root, '--out', join(work, 'out')], REPO_ROOT);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^simulate: loose: p95 session start ≤ 3600 s .* is met now \(measured \d+ s\) but marked acceptedMiss: remove the marker/,
    );
  });

  it('--check without objectives has nothing to check', () => {
    const r = runSimulate(['--check', '--stack', 'staging', '--out', join(work, 'out')], REPO_ROOT);
    expect(r).toMatchObject({ code: 0, err: '', written: [] });
    expect(r.out).toBe('staging declares no simulation.objectives: nothing to check\n');
  });

  it.each([
    [['--stack', 'nope'], /^simulate: unknown stack "nope": no Pulumi.nope.yaml in .* \(stacks: prod, staging\)\n$/],
    [[], /^simulate: --stack is required \(stacks in .*: prod, staging\)\n$/],
    [['--stack', 'prod', '--seed', '-1'], /^simulate: --seed must be an integer from 0 to 4294967295, got "-1"\n$/],
    [['--stack', 'prod', '--seed', '1.5'], /--seed must be an integer from 0 to 4294967295, got "1.5"/],
    [
      ['--stack', 'prod', '--profile', 'spike'],
      /unknown profile "spike" for stack prod \(allowed: burst, daily, steady, or a CSV file/,
    ],
    [['--stack', 'prod', '--profile', 'missing.csv'], /profile file missing.csv does not exist/],
    [
      ['--stack', 'prod', '--format', 'xml'],
      /option '--format <format>' argument 'xml' is invalid. Allowed choices are markdown, json/,
    ],
  ])('refuses %j with a clear message, exit 2, nothing written', (args, message) => {
    const out = join(work, 'out');
    const r = runSimulate([...args, '--out', out], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('runs a CSV profile, and refuses a bad one before writing anything', () => {
    const csv = join(work, 'monday.csv');
    writeFileSync(csv, 'time,tier\n0,starter\n5,enterprise\n');
    const ok = runSimulate(['--stack', 'prod', '--profile', csv, '--out', join(work, 'out')], REPO_ROOT);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('| starter | 1 | 1 | 0 | 6.0 s | 6.0 s | 6.0 s | 6.0 s |');
    expect(ok.written[0]).toBe(join(work, 'out', 'prod-monday', 'latency.svg'));
    writeFileSync(csv, 'time,tier\n0,gold\n');
    const bad = runSimulate(['--stack', 'prod', '--profile', csv, '--out', join(work, 'bad')], REPO_ROOT);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(
      'monday.csv line 2: tier "gold" is not a tier (allowed: starter, standard, performance, enterprise)',
    );
    expect(existsSync(join(work, 'bad'))).toBe(false);
  });

  it('refuses objectives that name an unknown profile or tier', () => {
    const root = rootWith('odd', (raw) => {
      raw.simulation = { objectives: [{ ...burstObjective, profile: 'spike', tier: 'gold' }] };
    });
    const r = runSimulate(['--check', '--root', root, '--out', join(work, 'out')], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'simulate: odd: simulation.objectives[0].profile ("spike") is not a profile (allowed: burst, daily, steady); simulation.objectives[0].tier ("gold") is not a tier (allowed: starter, standard, performance, enterprise)\n',
    );
  });
});
