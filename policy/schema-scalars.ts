/** The keywords of strings (length, pattern, format) and numbers (int32, bounds). */
import { goRegExp } from './go-regexp';
import { sequence, type Part, type Schema } from './schema-walk';
import { show } from './schema-wording';

const INT32 = [-(2 ** 31), 2 ** 31 - 1] as const;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const numberOf = (value: unknown) => (typeof value === 'number' ? value : undefined);

/** Characters as Kubernetes counts them (code points; a lone surrogate counts as one), `[...text].length` without the array. */
export function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdbff) continue;
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) {
      count--;
      i++;
    }
  }
  return count;
}

/**
 * minLength/maxLength in code points. A code point is one or two UTF-16 units, so the
 * count lies between ceil(length / 2) and length: it is counted only when those bounds
 * do not decide.
 */
function lengthCheck(schema: Schema): Part<string> | undefined {
  const min = numberOf(schema.minLength);
  const max = numberOf(schema.maxLength);
  if (min === undefined && max === undefined) return undefined;
  return (data, walk) => {
    const units = data.length;
    const least = Math.ceil(units / 2);
    if (min !== undefined && (units < min || (least < min && codePoints(data) < min)) && walk.reports()) {
      walk.problem(`${show(data)} is shorter than ${min} characters`, `use at least ${min} characters`);
    }
    if (max !== undefined && (least > max || (units > max && codePoints(data) > max)) && walk.reports()) {
      walk.problem(`${show(data)} is longer than ${max} characters`, `use at most ${max} characters`);
    }
  };
}

function patternCheck(schema: Schema): Part<string> | undefined {
  const pattern = schema.pattern;
  if (typeof pattern !== 'string') return undefined;
  const re = goRegExp(pattern);
  if (!re) return undefined;
  return (data, walk) => {
    if (!re.test(data) && walk.reports()) {
      walk.problem(`${show(data)} does not match the pattern ${pattern}`, 'correct the value to the expected format');
    }
  };
}

function formatCheck(schema: Schema): Part<string> | undefined {
  if (schema.format === 'date-time') {
    return (data, walk) => {
      if (!DATE_TIME.test(data) && walk.reports()) {
        walk.problem(`${show(data)} is not an RFC 3339 date-time`, 'write a time such as 2026-01-31T12:00:00Z');
      }
    };
  }
  if (schema.format === 'byte') {
    return (data, walk) => {
      if (!BASE64.test(data) && walk.reports()) walk.problem(`${show(data)} is not base64`, 'base64-encode the value');
    };
  }
  return undefined;
}

export const stringChecks = (schema: Schema): Part<string> | undefined =>
  sequence([lengthCheck(schema), patternCheck(schema), formatCheck(schema)]);

function int32Check(schema: Schema): Part<number> | undefined {
  if (schema.format !== 'int32') return undefined;
  return (data, walk) => {
    if ((data < INT32[0] || data > INT32[1]) && walk.reports()) {
      walk.problem(`${data} is outside the int32 range`, 'use a smaller number');
    }
  };
}

function minimumCheck(schema: Schema): Part<number> | undefined {
  const min = numberOf(schema.minimum);
  if (min === undefined) return undefined;
  const exclusive = schema.exclusiveMinimum === true;
  const message = `must be ${exclusive ? '>' : '>='} ${min}`;
  const fix = `use a value ${exclusive ? 'above' : 'of at least'} ${min}`;
  return (data, walk) => {
    if ((exclusive ? data <= min : data < min) && walk.reports()) walk.problem(`${data} ${message}`, fix);
  };
}

function maximumCheck(schema: Schema): Part<number> | undefined {
  const max = numberOf(schema.maximum);
  if (max === undefined) return undefined;
  const exclusive = schema.exclusiveMaximum === true;
  const message = `must be ${exclusive ? '<' : '<='} ${max}`;
  const fix = `use a value ${exclusive ? 'below' : 'of at most'} ${max}`;
  return (data, walk) => {
    if ((exclusive ? data >= max : data > max) && walk.reports()) walk.problem(`${data} ${message}`, fix);
  };
}

export const numberChecks = (schema: Schema): Part<number> | undefined =>
  sequence([int32Check(schema), minimumCheck(schema), maximumCheck(schema)]);
