/**
 * The README's `npm run check -- dist --format json` on the committed dist/: each
 * dist/<stack>/ is judged with its own Pulumi.<stack>.yaml (as synth does), so the
 * Secrets a stack file declares external are known and the committed output passes.
 */
import { findStackFiles } from '../../config';
import { runCli } from '../../policy/cli';
import { REPO_ROOT } from '../support/environments';
import { TEST_SCHEMAS } from './fixtures';

function check(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCli(
    [...args, '--schemas', TEST_SCHEMAS.schemaLocations[0]!, '--crds', TEST_SCHEMAS.crdLocations[0]!],
    { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), cwd: REPO_ROOT },
  );
  return { code, out, err };
}

describe('npm run check on this repository dist/', () => {
  it('passes `dist --format json`, every stack judged with its stack file', () => {
    const { code, out, err } = check(['dist', '--format', 'json']);
    expect(err).toBe('');
    const json = JSON.parse(out) as { passed: boolean; reports: { stack: string | null; passed: boolean }[] };
    expect(json.reports.map((r) => r.stack)).toEqual(
      findStackFiles(REPO_ROOT)
        .map((f) => f.stack)
        .sort(),
    );
    expect(json.passed).toBe(true);
    expect(code).toBe(0);
  });

  it('passes one stack folder given by path', () => {
    const [first] = findStackFiles(REPO_ROOT);
    expect(check([`dist/${first!.stack}`]).code).toBe(0);
  });
});
