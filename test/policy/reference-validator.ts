/**
 * TEST-ONLY REFERENCE: the gate's schema interpreter as it was before it was compiled
 * into closures (policy/validator.ts at f392d45), kept verbatim apart from this header,
 * its import paths and its class name. test/policy/validator-reference.test.ts compares
 * the compiled validator with it problem by problem (paths, messages, fixes, order).
 * Do not change its behaviour: it is the specification the fast version is held to.
 */
import { asArray, isObject, type PathSegment } from '../../policy/values';

// The same result types as the compiled validator (types only: the behaviour here stays its own).
import type { Schema, SchemaProblem } from '../../policy/schema-walk';
export type { Schema, SchemaProblem };

/** Marks schemas whose failure reads better as one plain sentence (quantity, int-or-string). */
export const SPECIAL = 'x-policy-special';

const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

const INT32 = [-(2 ** 31), 2 ** 31 - 1] as const;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const regexCache = new Map<string, RegExp | null>();
/** Go RE2 → JavaScript: `(?i)` and friends become flags; what JavaScript cannot express is not enforced. */
export function goRegExp(pattern: string): RegExp | null {
  let cached = regexCache.get(pattern);
  if (cached !== undefined) return cached;
  let source = pattern;
  let flags = 'u';
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    flags += inline[1]!.replace(/U/g, '');
  }
  try {
    cached = new RegExp(source, flags);
  } catch {
    try {
      cached = new RegExp(source, flags.replace('u', ''));
    } catch {
      cached = null;
    }
  }
  regexCache.set(pattern, cached);
  return cached;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = typeOf(value);
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return actual === expected;
}

export class ReferenceSchemaValidator {
  /**
   * @param resolve resolves a `$ref` to its schema
   * @param schemaName names the schema in unknown-field messages (`Kubernetes 1.31 apps/v1 Deployment`)
   */
  constructor(
    private readonly resolve: (ref: string) => Schema | undefined,
    private readonly schemaName: string,
  ) {}

  validate(schema: Schema, data: unknown): SchemaProblem[] {
    const out: SchemaProblem[] = [];
    this.check(schema, data, [], out);
    return out;
  }

  /** True when `data` satisfies `schema` (no problems); used by the combinators. */
  private ok(schema: unknown, data: unknown, path: PathSegment[]): boolean {
    const out: SchemaProblem[] = [];
    this.check(schema, data, path, out);
    return out.length === 0;
  }

  private problem(out: SchemaProblem[], path: PathSegment[], message: string, fix: string, unknownField = false): void {
    out.push({ unknownField, path, message, fix });
  }

  private check(schemaIn: unknown, data: unknown, path: PathSegment[], out: SchemaProblem[]): void {
    if (!isObject(schemaIn)) return;
    let schema: Schema = schemaIn;
    // Follow references (the definitions use `$ref` plus a description sibling).
    let hops = 0;
    while (typeof schema.$ref === 'string' && hops++ < 32) {
      const target = this.resolve(schema.$ref);
      if (!target) {
        this.problem(
          out,
          path,
          `schema reference ${schema.$ref} cannot be resolved`,
          'report this: the schema files are incomplete',
        );
        return;
      }
      schema = target;
    }
    if (data === null || data === undefined) return;

    const special = typeof schema[SPECIAL] === 'string' ? (schema[SPECIAL] as string) : undefined;
    if (special && Array.isArray(schema.anyOf)) {
      if (!schema.anyOf.some((branch) => this.ok(branch, data, path))) {
        this.problem(out, path, `must be ${special}, got ${show(data)}`, `write ${special}`);
      }
      return;
    }

    // type
    const types = Array.isArray(schema.type)
      ? (schema.type as string[])
      : typeof schema.type === 'string'
        ? [schema.type]
        : [];
    if (types.length > 0 && !types.some((t) => typeMatches(t, data))) {
      const want = types.filter((t) => t !== 'null').join(' or ');
      this.problem(out, path, `must be ${want}, got ${show(data)}`, `change the value to ${article(want)}`);
      return;
    }

    if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(data))) {
      this.problem(
        out,
        path,
        `${show(data)} is not allowed (allowed: ${schema.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join(', ')})`,
        'use one of the allowed values',
      );
    }

    if (typeof data === 'string') this.checkString(schema, data, path, out);
    else if (typeof data === 'number') this.checkNumber(schema, data, path, out);
    else if (Array.isArray(data)) this.checkArray(schema, data, path, out);
    else if (isObject(data)) this.checkObject(schema, data, path, out);

    // Combinators (CRD value validations, e.g. "exactly one of").
    if (Array.isArray(schema.allOf)) for (const branch of schema.allOf) this.check(branch, data, path, out);
    if (Array.isArray(schema.anyOf) && !schema.anyOf.some((branch) => this.ok(branch, data, path))) {
      this.problem(
        out,
        path,
        `${show(data)} matches none of the allowed forms (anyOf)`,
        'see the CRD schema for the allowed combinations',
      );
    }
    if (Array.isArray(schema.oneOf)) {
      const matches = schema.oneOf.filter((branch) => this.ok(branch, data, path)).length;
      if (matches !== 1) {
        this.problem(
          out,
          path,
          matches === 0
            ? 'matches none of the allowed forms (oneOf)'
            : `matches ${matches} of the forms where exactly one is allowed (oneOf): fields that exclude each other are set together`,
          'set exactly one of the alternative fields',
        );
      }
    }
    if (isObject(schema.not) && this.ok(schema.not, data, path)) {
      this.problem(
        out,
        path,
        'uses a combination of fields the schema forbids (not)',
        'remove one of the conflicting fields',
      );
    }
  }

  private checkString(schema: Schema, data: string, path: PathSegment[], out: SchemaProblem[]): void {
    const length = [...data].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) {
      this.problem(
        out,
        path,
        `${show(data)} is shorter than ${schema.minLength} characters`,
        `use at least ${schema.minLength} characters`,
      );
    }
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
      this.problem(
        out,
        path,
        `${show(data)} is longer than ${schema.maxLength} characters`,
        `use at most ${schema.maxLength} characters`,
      );
    }
    if (typeof schema.pattern === 'string') {
      const re = goRegExp(schema.pattern);
      if (re && !re.test(data)) {
        this.problem(
          out,
          path,
          `${show(data)} does not match the pattern ${schema.pattern}`,
          'correct the value to the expected format',
        );
      }
    }
    if (schema.format === 'date-time' && !DATE_TIME.test(data)) {
      this.problem(
        out,
        path,
        `${show(data)} is not an RFC 3339 date-time`,
        'write a time such as 2026-01-31T12:00:00Z',
      );
    } else if (schema.format === 'byte' && !BASE64.test(data)) {
      this.problem(out, path, `${show(data)} is not base64`, 'base64-encode the value');
    }
  }

  private checkNumber(schema: Schema, data: number, path: PathSegment[], out: SchemaProblem[]): void {
    if (schema.format === 'int32' && (data < INT32[0] || data > INT32[1])) {
      this.problem(out, path, `${data} is outside the int32 range`, 'use a smaller number');
    }
    const min = schema.minimum;
    if (typeof min === 'number') {
      const exclusive = schema.exclusiveMinimum === true;
      if (exclusive ? data <= min : data < min) {
        this.problem(
          out,
          path,
          `${data} must be ${exclusive ? '>' : '>='} ${min}`,
          `use a value ${exclusive ? 'above' : 'of at least'} ${min}`,
        );
      }
    }
    const max = schema.maximum;
    if (typeof max === 'number') {
      const exclusive = schema.exclusiveMaximum === true;
      if (exclusive ? data >= max : data > max) {
        this.problem(
          out,
          path,
          `${data} must be ${exclusive ? '<' : '<='} ${max}`,
          `use a value ${exclusive ? 'below' : 'of at most'} ${max}`,
        );
      }
    }
  }

  private checkArray(schema: Schema, data: unknown[], path: PathSegment[], out: SchemaProblem[]): void {
    if (typeof schema.minItems === 'number' && data.length < schema.minItems) {
      this.problem(
        out,
        path,
        `has ${data.length} item(s); at least ${schema.minItems} required`,
        `add items (at least ${schema.minItems})`,
      );
    }
    if (typeof schema.maxItems === 'number' && data.length > schema.maxItems) {
      this.problem(
        out,
        path,
        `has ${data.length} items; at most ${schema.maxItems} allowed`,
        `remove items (at most ${schema.maxItems})`,
      );
    }
    if (isObject(schema.items)) data.forEach((item, i) => this.check(schema.items, item, [...path, i], out));
  }

  private checkObject(schema: Schema, data: Record<string, unknown>, path: PathSegment[], out: SchemaProblem[]): void {
    const properties = isObject(schema.properties) ? schema.properties : undefined;
    for (const field of asArray(schema.required)) {
      if (typeof field === 'string' && (data[field] === undefined || data[field] === null)) {
        this.problem(out, [...path, field], `required field "${field}" is missing`, `set ${field}`);
      }
    }
    const count = Object.keys(data).length;
    if (typeof schema.minProperties === 'number' && count < schema.minProperties) {
      this.problem(
        out,
        path,
        `has ${count} field(s); at least ${schema.minProperties} required`,
        'set the missing fields',
      );
    }
    if (typeof schema.maxProperties === 'number' && count > schema.maxProperties) {
      this.problem(out, path, `has ${count} fields; at most ${schema.maxProperties} allowed`, 'remove fields');
    }
    for (const [key, value] of Object.entries(data)) {
      const own = properties?.[key];
      if (own !== undefined) {
        this.check(own, value, [...path, key], out);
      } else if (schema.additionalProperties === false) {
        const allowed = Object.keys(properties ?? {}).sort();
        this.problem(
          out,
          [...path, key],
          `unknown field "${key}" (not in ${this.schemaName})`,
          `remove "${key}" or correct its spelling; fields allowed here: ${allowed.join(', ') || '(none)'}`,
          true,
        );
      } else if (isObject(schema.additionalProperties)) {
        this.check(schema.additionalProperties, value, [...path, key], out);
      }
    }
  }
}
