/**
 * Writing rendered stacks to dist/ so that a failure never leaves it half-written:
 * each stack is written to a sibling temp folder, then swapped in by rename.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGRAM_FILE } from './diagram';
import { INDEX_FILE } from './render';

/** What is written to dist/<stack>/: the rendered files, index.json and diagram.md. */
export interface StackText {
  readonly stack: string;
  readonly files: readonly { readonly name: string; readonly content: string }[];
  readonly index: string;
  readonly diagram: string;
}

export function writeStack(distRoot: string, stack: StackText): void {
  mkdirSync(distRoot, { recursive: true });
  const target = join(distRoot, stack.stack);
  const temp = join(distRoot, `.${stack.stack}.tmp-${process.pid}`);
  const old = join(distRoot, `.${stack.stack}.old-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
  try {
    for (const file of stack.files) writeFileSync(join(temp, file.name), file.content);
    writeFileSync(join(temp, INDEX_FILE), stack.index);
    writeFileSync(join(temp, DIAGRAM_FILE), stack.diagram);
    if (existsSync(target)) renameSync(target, old);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(target) && existsSync(old)) renameSync(old, target);
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

/** Removes dist/<name>/ folders (ones holding an index) whose stack file is gone. */
export function pruneStacks(distRoot: string, keep: readonly string[]): string[] {
  if (!existsSync(distRoot)) return [];
  const removed: string[] = [];
  for (const entry of readdirSync(distRoot, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || keep.includes(entry.name)) continue;
    if (existsSync(join(distRoot, entry.name, INDEX_FILE))) {
      rmSync(join(distRoot, entry.name), { recursive: true, force: true });
      removed.push(entry.name);
    }
  }
  return removed;
}
