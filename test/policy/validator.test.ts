import { goRegExp, SchemaValidator, type Schema } from '../../policy/validator';

const validator = (defs: Record<string, Schema> = {}) =>
  new SchemaValidator((ref) => defs[ref.replace('#/definitions/', '')], 'the test schema');
const problems = (schema: Schema, data: unknown, defs?: Record<string, Schema>) =>
  validator(defs)
    .validate(schema, data)
    .map((p) => `${p.path.join('.')}: ${p.message}`);

describe('schema validator', () => {
  it('follows $ref, closes objects only where the schema says so', () => {
    const defs = { Port: { type: 'object', properties: { port: { type: 'integer' } }, additionalProperties: false } };
    const schema = { type: 'object', properties: { ports: { type: 'array', items: { $ref: '#/definitions/Port' } } } };
    expect(problems(schema, { ports: [{ port: 80 }, { port: '80', name: 'x' }] }, defs)).toEqual([
      'ports.1.port: must be integer, got "80"',
      'ports.1.name: unknown field "name" (not in the test schema)',
    ]);
  });

  it('treats null as unset, like the API server', () => {
    expect(
      problems({ type: 'object', properties: { a: { type: 'string' } }, required: ['b'] }, { a: null, b: 1 }),
    ).toEqual([]);
    expect(problems({ type: 'object', required: ['b'] }, { b: null })).toEqual(['b: required field "b" is missing']);
  });

  it('bounds, lengths, enums, patterns and formats', () => {
    const schema = {
      type: 'object',
      properties: {
        n: { type: 'integer', minimum: 1, maximum: 10 },
        s: { type: 'string', maxLength: 3, pattern: '^[a-z]+$' },
        e: { type: 'string', enum: ['A', 'B'] },
        t: { type: 'string', format: 'date-time' },
        i: { type: 'integer', format: 'int32' },
        l: { type: 'array', maxItems: 1 },
      },
    };
    expect(problems(schema, { n: 0, s: 'ABCD', e: 'C', t: 'yesterday', i: 2 ** 40, l: [1, 2] })).toEqual([
      'n: 0 must be >= 1',
      's: "ABCD" is longer than 3 characters',
      's: "ABCD" does not match the pattern ^[a-z]+$',
      'e: "C" is not allowed (allowed: A, B)',
      't: "yesterday" is not an RFC 3339 date-time',
      'i: 1099511627776 is outside the int32 range',
      'l: has 2 items; at most 1 allowed',
    ]);
  });

  it('oneOf / not express "exactly one of" and "not both" as CRDs use them', () => {
    const schema = {
      type: 'object',
      properties: { exact: { type: 'string' }, prefix: { type: 'string' } },
      oneOf: [
        { not: { anyOf: [{ required: ['exact'] }, { required: ['prefix'] }] } },
        { required: ['exact'] },
        { required: ['prefix'] },
      ],
    };
    expect(problems(schema, { exact: 'a' })).toEqual([]);
    expect(problems(schema, {})).toEqual([]);
    expect(problems(schema, { exact: 'a', prefix: 'b' })).toEqual([
      ': matches 2 of the forms where exactly one is allowed (oneOf): fields that exclude each other are set together',
    ]);
  });

  it('Go regular expressions: inline flags become JavaScript flags', () => {
    expect(goRegExp('(?i)^(abort|warn)?$')?.test('WARN')).toBe(true);
    expect(goRegExp('^[a-z]+$')?.test('A')).toBe(false);
  });
});
