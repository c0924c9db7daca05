/**
 * Lines in reports stay exact with the fast reader: the gate reads a plain file with the
 * fast reader, and the line of a finding comes from the full parser, the same line as
 * when the whole file was read by the full parser (before the fast reader existed).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readYaml } from '../../config/manifest';
import { loadManifests, runGate } from '../../policy';
import { REPO_ROOT } from '../support/environments';
import { TEST_SCHEMAS } from './fixtures';

const PINNED = 'image: ghcr.io/lobstack/api:1.42.0';

test("a finding's line is the line of the field, as the full parser gives it", () => {
  const original = readFileSync(join(REPO_ROOT, 'dist', 'staging', 'control-plane.yaml'), 'utf8');
  expect(original).toContain(PINNED);
  const text = original.replace(PINNED, 'image: ghcr.io/lobstack/api:latest');
  const file = join(mkdtempSync(join(tmpdir(), 'finding-lines-')), 'control-plane.yaml');
  writeFileSync(file, text);

  const fast = readYaml(text);
  expect(fast.fast).toBe(true);
  const report = runGate(loadManifests([file]), { schemas: TEST_SCHEMAS, families: ['workload-hygiene'] });
  const finding = report.findings.find((f) => f.rule === 'hygiene.image-pinned');
  expect(finding).toMatchObject({ path: 'spec.template.spec.containers[0].image', file });

  const expectedLine = text.split('\n').findIndex((l) => l.includes('ghcr.io/lobstack/api:latest')) + 1;
  expect(expectedLine).toBe(59);
  expect(finding!.line).toBe(expectedLine);
  // The full parser alone (how every file was read before) gives the same line.
  const index = fast.documents.findIndex(
    (d) => (d.value as { kind?: string }).kind === 'Deployment' && finding!.object.name === 'api',
  );
  const viaFull = readYaml(text, { fast: false });
  expect(viaFull.fast).toBe(false);
  expect(viaFull.lineOf(index, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe(expectedLine);
});
