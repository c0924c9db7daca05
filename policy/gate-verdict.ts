/**
 * The gate's verdict on a folder of manifests, recorded next to them, so a second
 * reader of the same bytes does not judge them again. `npx cdk8s synth` runs our synth
 * (which gates every stack before writing) and then this package's validation plugin
 * on the same files: the synth records its verdict with each file's sha256, and the
 * plugin reuses it when every file still matches (otherwise it judges them itself).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { sha256 } from '../config';
import type { GateReport } from './runner';

export const GATE_VERDICT_FILE = 'gate-verdict.json';

export interface GateVerdict {
  /** sha256 of each judged file, by file name. */
  readonly files: Readonly<Record<string, string>>;
  readonly report: GateReport;
}

export function gateVerdict(files: readonly { name: string; content: string }[], report: GateReport): string {
  const verdict: GateVerdict = {
    files: Object.fromEntries(files.map((f) => [f.name, sha256(f.content)])),
    report,
  };
  return `${JSON.stringify(verdict)}\n`;
}

/** The recorded report for exactly these files (same folder, same bytes), or undefined. */
export function recordedVerdict(files: readonly string[]): GateReport | undefined {
  const dir = files[0] === undefined ? undefined : dirname(files[0]);
  if (!dir || files.some((f) => dirname(f) !== dir)) return undefined;
  const path = join(dir, GATE_VERDICT_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const verdict = JSON.parse(readFileSync(path, 'utf8')) as GateVerdict;
    const names = Object.keys(verdict.files);
    if (names.length !== files.length) return undefined;
    const same = files.every((f) => verdict.files[basename(f)] === sha256(readFileSync(f, 'utf8')));
    return same ? verdict.report : undefined;
  } catch {
    return undefined;
  }
}
