import { renderStack, type Manifest } from '../../../charts-src/render';
import { join } from 'node:path';
import { readStackConfig } from '../../../config';
import { parseRaw, rawStack, REPO_ROOT, stackSpec } from '../../support/environments';
import type { Any } from '../../support/render';
import { SchemaValidator } from '../support/schemas';

const objectsOf = (spec: ReturnType<typeof stackSpec>): Manifest[] =>
  renderStack(spec, '0.0.0').files.flatMap((f) => f.objects);

describe.each(['staging', 'prod'] as const)('every object of %s validates against its schema', (stack) => {
  it('has a schema for and passes every object (unknown fields are errors)', () => {
    const objects = objectsOf(stackSpec(stack));
    const validator = new SchemaValidator('1.31');
    expect(objects.length).toBeGreaterThan(50);
    expect(objects.flatMap((o) => validator.errors(o))).toEqual([]);
  });
});

// Agents need ValidatingAdmissionPolicy v1 (1.30+): on 1.28 an environment without agents is rendered.
const cybersec = () => readStackConfig(join(REPO_ROOT, 'examples', 'cybersec', 'Pulumi.cybersec.yaml')) as Any;
describe.each([
  ['1.28', cybersec],
  ['1.34', () => rawStack('staging')],
] as const)('on Kubernetes %s', (version, rawOf) => {
  it('every object validates against that version', () => {
    const raw = rawOf();
    raw.kubernetes.version = version;
    const validator = new SchemaValidator(version);
    expect(objectsOf(parseRaw(raw)).flatMap((o) => validator.errors(o))).toEqual([]);
  });
});

describe('the validator', () => {
  it('rejects an unknown field and a wrong type (it is not a rubber stamp)', () => {
    const validator = new SchemaValidator('1.31');
    const deployment = objectsOf(stackSpec('staging')).find((o) => o.kind === 'Deployment')!;
    const broken = structuredClone(deployment) as Manifest & { spec: Record<string, unknown> };
    broken.spec.replicaz = 3;
    broken.spec.minReadySeconds = 'soon';
    expect(validator.errors(broken)).toEqual([
      'apps/v1/Deployment/api/spec must NOT have additional properties {"additionalProperty":"replicaz"}',
      'apps/v1/Deployment/api/spec/minReadySeconds must be integer {"type":"integer"}',
    ]);
  });
});
