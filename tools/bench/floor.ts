/**
 * The floor of a synth: what serializing its objects costs with the YAML library
 * alone. The objects are read back from what the synth wrote (so they are exactly
 * the synth's objects, as plain JSON data) and serialized with the options of
 * charts-src/render.ts, one `stringify` per object as the synth does. Nothing of
 * cdk8s, the environment model or the file system is in the timed part.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { INDEX_FILE, YAML_OPTIONS } from '../../charts-src/render';

export interface FloorFile {
  readonly name: string;
  readonly objects: readonly unknown[];
  /** The bytes the synth wrote, to check that the floor produces the same text. */
  readonly content: string;
}

/** The rendered files of one dist/<stack>/ folder, in index order, parsed to plain data. */
export function readRenderedStack(stackDir: string): FloorFile[] {
  const index = JSON.parse(readFileSync(join(stackDir, INDEX_FILE), 'utf8')) as { files: { file: string }[] };
  return index.files.map(({ file }) => {
    const content = readFileSync(join(stackDir, file), 'utf8');
    // Read back with the version the synth writes (1.1 and 1.2 resolve some plain scalars differently).
    const docs = parseAllDocuments(content, { version: YAML_OPTIONS.version });
    if (!Array.isArray(docs)) throw new Error(`${file}: not a YAML stream`);
    const objects = docs.map((d, i) => {
      if (d.errors.length > 0) throw new Error(`${file}, document ${i + 1}: ${d.errors[0]!.message}`);
      return d.toJS() as unknown;
    });
    return { name: file, objects, content };
  });
}

/** Serializes the files with the YAML library alone; returns the texts and the wall and CPU time it took. */
export function serializeFloor(files: readonly FloorFile[]): { ms: number; cpuMs: number; texts: string[] } {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const texts = files.map((f) => f.objects.map((o) => stringify(o, YAML_OPTIONS)).join('---\n'));
  const used = process.cpuUsage(cpu);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, cpuMs: (used.user + used.system) / 1000, texts };
}

/** Files whose floor text differs from what the synth wrote (should be none). */
export function floorMismatches(files: readonly FloorFile[], texts: readonly string[]): string[] {
  return files.filter((f, i) => texts[i] !== f.content).map((f) => f.name);
}
