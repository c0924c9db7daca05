/** The platform's own committed dist/ passes the gate with zero error-level findings, per stack. */
import { join } from 'node:path';
import { collectFiles, gateFiles, groupByStack } from '../../policy';
import { REPO_ROOT, stackSpec } from '../support/environments';
import { TEST_SCHEMAS } from './fixtures';

describe('the committed dist/', () => {
  it.each(['staging', 'prod'] as const)('dist/%s passes the gate, cross-layer rules included', (stack) => {
    const groups = groupByStack(collectFiles([join(REPO_ROOT, 'dist', stack)]));
    expect(groups.map((g) => g.index?.stack)).toEqual([stack]);
    const [report] = gateFiles(groups, { schemas: TEST_SCHEMAS, specFor: () => stackSpec(stack) });
    const errors = report!.findings
      .filter((f) => f.severity === 'error')
      .map((f) => `${f.rule} ${f.object.kind}/${f.object.name} ${f.path}: ${f.message}`);
    expect(errors).toEqual([]);
    expect(report!.stack).toBe(stack);
  });
});
