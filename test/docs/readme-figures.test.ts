/**
 * The README's speed figures are the ones docs/benchmarks.md measured (written by
 * `npm run bench` between its markers), rounded as the README rounds them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/environments';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
const bench = readFileSync(join(REPO_ROOT, 'docs', 'benchmarks.md'), 'utf8').split('<!-- bench:begin')[1] ?? '';

/** Median wall time, in seconds, of the results row whose first cell starts with `label`. */
function wallSeconds(label: string): number {
  const row = bench.split('\n').find((l) => l.startsWith(`| ${label}`));
  if (!row) throw new Error(`docs/benchmarks.md has no row "${label}"`);
  const wall = row.split('|')[3]!.trim();
  const match = /^([\d.]+) (ms|s)/.exec(wall);
  if (!match) throw new Error(`cannot read the wall time of "${label}": ${wall}`);
  return Number(match[1]) / (match[2] === 'ms' ? 1000 : 1);
}

/** The Objects cell of the results row whose first cell starts with `label`, as the README writes it (10,195). */
function objects(label: string): string {
  const row = bench.split('\n').find((l) => l.startsWith(`| ${label}`));
  if (!row) throw new Error(`docs/benchmarks.md has no row "${label}"`);
  return Number(row.split('|')[2]!.trim()).toLocaleString('en-US');
}

describe('README speed figures', () => {
  it('match docs/benchmarks.md: both stacks, 1,000 tenants, the test suite', () => {
    expect(readme).toContain(
      `both stacks synthesized and gated in about ${wallSeconds('synth: all stacks').toFixed(1)} s`,
    );
    expect(readme).toContain(
      `(${objects('synth: 1000 tenants')} objects) in ${wallSeconds('synth: 1000 tenants').toFixed(1)} s`,
    );
    expect(readme).toContain(`\`npx jest\` in about ${Math.round(wallSeconds('test suite'))} s`);
  });
});
