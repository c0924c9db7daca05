/** The environment files under examples/, loaded and rendered once per test file. */
import { join } from 'node:path';
import { findStackFiles, loadStackFile, type EnvironmentSpec } from '../../config';
import type { Manifest } from '../../charts-src/render';
import { REPO_ROOT } from './environments';
import { objectsOf } from './render';

export const EXAMPLES = ['stella', 'cybersec', 'support-copilot', 'ai-workflow', 'lobstack-aws'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

export function exampleSpec(name: ExampleName): EnvironmentSpec {
  const [file] = findStackFiles(join(REPO_ROOT, 'examples', name));
  if (!file) throw new Error(`examples/${name} holds no Pulumi.<stack>.yaml`);
  return loadStackFile(file.file, file.stack).spec;
}

export function exampleObjects(name: ExampleName): Manifest[] {
  return objectsOf(exampleSpec(name));
}
