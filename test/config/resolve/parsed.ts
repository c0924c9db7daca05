/** Parsed (schema-valid, unresolved) environments for the resolver modules' own tests. */
import { join } from 'node:path';
import { environmentSchema, readStackConfig, type ParsedEnvironment } from '../../../config';
import { rawStack, REPO_ROOT } from '../../support/environments';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = any;

/** Staging's stack file (hcloud), after `change`, parsed by the schema only. */
export function parsedStaging(change: (raw: Raw) => void = () => {}): ParsedEnvironment {
  const raw = rawStack();
  change(raw);
  return environmentSchema.parse(raw);
}

/** An example's environment (aws: lobstack-aws, support-copilot), after `change`, parsed by the schema only. */
export function parsedExample(name: string, change: (raw: Raw) => void = () => {}): ParsedEnvironment {
  const raw: Raw = structuredClone(readStackConfig(join(REPO_ROOT, 'examples', name, `Pulumi.${name}.yaml`)));
  change(raw);
  return environmentSchema.parse(raw);
}
