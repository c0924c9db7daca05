import { renderStack, type Manifest } from '../../../charts-src/render';
import { stackSpec } from '../../support/environments';
import { SchemaValidator } from '../support/schemas';

describe.each(['staging', 'prod'] as const)('every object of %s validates against its schema', (stack) => {
  const spec = stackSpec(stack);
  const validator = new SchemaValidator('1.31');
  const objects: Manifest[] = renderStack(spec, '0.0.0').files.flatMap((f) => f.objects);

  it('has a schema for and passes every object (unknown fields are errors)', () => {
    expect(objects.length).toBeGreaterThan(50);
    const problems = objects.flatMap((o) => validator.errors(o));
    expect(problems).toEqual([]);
  });
});
