/**
 * Every environment of the repository, discovered from the files: the stack files at
 * the root (`Pulumi.<stack>.yaml`) and every example (`examples/<name>/Pulumi.<stack>.yaml`).
 * A new stack or example is picked up without touching a test.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findStackFiles, loadStackFile, type EnvironmentSpec } from '../../config';
import { REPO_ROOT } from './environments';

export interface EnvironmentFile {
  readonly stack: string;
  /** Absolute path of the stack file. */
  readonly file: string;
  /** Folder holding it (the synth root). */
  readonly root: string;
  /** Path relative to the repository, for test titles. */
  readonly shown: string;
  /** true under examples/ (rendered into a temporary dist/, not the committed one). */
  readonly example: boolean;
}

export function environmentFiles(): EnvironmentFile[] {
  const examplesDir = join(REPO_ROOT, 'examples');
  const exampleRoots = existsSync(examplesDir)
    ? readdirSync(examplesDir)
        .map((d) => join(examplesDir, d))
        .filter((d) => statSync(d).isDirectory())
        .sort()
    : [];
  return [REPO_ROOT, ...exampleRoots].flatMap((root) =>
    findStackFiles(root).map(({ stack, file }) => ({
      stack,
      file,
      root,
      shown: relative(REPO_ROOT, file),
      example: root !== REPO_ROOT,
    })),
  );
}

const specs = new Map<string, EnvironmentSpec>();

export function specOf(env: EnvironmentFile): EnvironmentSpec {
  let spec = specs.get(env.file);
  if (!spec) {
    spec = loadStackFile(env.file, env.stack).spec;
    specs.set(env.file, spec);
  }
  return spec;
}
