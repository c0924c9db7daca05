/**
 * A small YAML emitter for plain JSON data that writes exactly what `yaml` 2.9.1's
 * `stringify(value, YAML_OPTIONS)` writes (YAML 1.1 output rules, no line folding, no
 * anchors, no directives), several times faster: it walks the data once and writes
 * text, where the library builds a node tree per document and then stringifies it.
 *
 * The rules are the library's own (node_modules/yaml/dist/stringify/), for the cases
 * plain data reaches:
 * - block maps and sequences, two spaces per level, sequences indented under their key;
 *   empty ones in flow style (`{}`, `[]`);
 * - a string is plain unless it starts with an indicator, holds `: `, ` #`, ends with a
 *   space or colon, ... (the library's regular expression below), or would read back as
 *   something else under YAML 1.1: the tests of the 1.1 schema's own tags decide
 *   (booleans like `yes`/`Off`, numbers, octal, sexagesimal, timestamps, null, `<<`);
 * - a quoted string is single-quoted when it holds `"` but no `'`, else double-quoted
 *   (JSON escaping);
 * - a multi-line value is a literal block (`|`, `|-`, `|+`, with an indentation
 *   indicator when it starts with a space);
 * - numbers as JSON writes them (`-0` for negative zero), `true`/`false`, `null`.
 *
 * Anything else (control characters, a multi-line key, a multi-line value ending in
 * blanks, a key that looks like a document marker or is over 1,000 characters, the merge
 * key `<<`, non-finite
 * numbers, `undefined` in a sequence, anything that is not a plain object, array, string,
 * number, boolean or null) makes `emitYaml` return `undefined`, and the caller falls back
 * to the library for that document. test/charts-src/emit-yaml.test.ts compares the two
 * over every committed dist/ document and over generated data (fast-check).
 */
import { Document } from 'yaml';

/** The tags whose plain scalars would not read back as strings, from the schema `stringify` uses for version 1.1. */
const SCHEMA = new Document(null, { version: '1.1' }).schema;
const NON_STRING_TAGS = [...SCHEMA.tags, ...(SCHEMA.compat ?? [])].filter(
  (t): t is typeof t & { test: RegExp } =>
    'test' in t && t.test instanceof RegExp && Boolean(t.default) && t.tag !== 'tag:yaml.org,2002:str',
);

/** Characters that force a double-quoted scalar (stringifyString.js). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** What a plain scalar may not look like (plainString in stringifyString.js). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;
const NEWLINES = /\n+/g;
const BLANK_LAST_LINE = /\n[\t ]+$/;

/** A single-line string as a scalar, or undefined when the library would do something this emitter does not. */
function lineScalar(value: string): string | undefined {
  // `<<` is written as the YAML 1.1 merge key, unquoted, as a key or a value.
  if (value === '<<' || CONTROL.test(value)) return undefined;
  if (NOT_PLAIN.test(value) || NON_STRING_TAGS.some((t) => t.test.test(value))) {
    // quotedString: single quotes only when the text has double quotes and no single ones.
    return value.includes('"') && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
  }
  return value;
}

const KEYS = new Map<string, string | null>();
const VALUES = new Map<string, string | null>();
const CACHE_LIMIT = 50_000;

function remember(cache: Map<string, string | null>, value: string, text: string | undefined): string | undefined {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(value, text ?? null);
  return text;
}

function keyScalar(key: string): string | undefined {
  const known = KEYS.get(key);
  if (known !== undefined) return known ?? undefined;
  const text = key.includes('\n') || key.length > 1000 || DOCUMENT_MARKER.test(key) ? undefined : lineScalar(key);
  return remember(KEYS, key, text);
}

function valueLine(value: string): string | undefined {
  const known = VALUES.get(value);
  if (known !== undefined) return known ?? undefined;
  return remember(VALUES, value, lineScalar(value));
}

/** A multi-line string as a literal block scalar whose lines are at `indent` (blockString, lineWidth 0). */
function blockLiteral(text: string, indent: string): string | undefined {
  if (CONTROL.test(text) || BLANK_LAST_LINE.test(text)) return undefined;
  let value = text;
  let endStart = value.length;
  for (; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf('\n');
  const chomp = endNlPos === -1 ? '-' : value === end || endNlPos !== end.length - 1 ? '+' : '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNlPos = -1;
  for (; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNlPos = startEnd;
    else break;
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(NEWLINES, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${value.replace(NEWLINES, `$&${indent}`)}${end}`;
}

const MAX_DEPTH = 200;

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * The text goes into `out` piece by piece and is joined once per document: building each
 * level as a string of its own made every nested map a string the GC had to copy (most of
 * the emitter's time at 100,000 objects). A write returns false when the value holds
 * something this emitter leaves to the library; the pieces written so far are then dropped.
 */
type Out = string[];

/** Whether a map has a pair to write (the library leaves pairs with undefined values out). */
function hasPairs(object: Record<string, unknown>): boolean {
  for (const key in object) if (Object.hasOwn(object, key) && object[key] !== undefined) return true;
  return false;
}

/** A scalar after `key:` or `-`: a space and its text. `indent` is the indentation of a block literal's lines. */
function scalar(value: unknown, indent: string, out: Out): boolean {
  switch (typeof value) {
    case 'string': {
      const text = value.includes('\n') ? blockLiteral(value, indent) : valueLine(value);
      if (text === undefined) return false;
      out.push(' ', text);
      return true;
    }
    case 'number':
      if (!Number.isFinite(value)) return false;
      out.push(Object.is(value, -0) ? ' -0' : ` ${JSON.stringify(value)}`);
      return true;
    case 'boolean':
      out.push(value ? ' true' : ' false');
      return true;
    default:
      if (value !== null) return false;
      out.push(' null');
      return true;
  }
}

/**
 * A value after `key:`: a scalar on the same line, an empty collection in flow style, or a
 * block collection on the next lines, whose lines are at `indent` (the library's context indent).
 */
function node(value: unknown, indent: string, depth: number, out: Out): boolean {
  if (value === null || typeof value !== 'object') return scalar(value, indent, out);
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(' []');
      return true;
    }
    out.push('\n', indent);
    return sequence(value, indent, depth + 1, out);
  }
  if (!isPlainObject(value)) return false;
  if (!hasPairs(value)) {
    out.push(' {}');
    return true;
  }
  out.push('\n', indent);
  return mapping(value, indent, depth + 1, out);
}

/** A sequence item after `- `: nested collections start on the same line. */
function item(value: unknown, indent: string, depth: number, out: Out): boolean {
  if (value === null || typeof value !== 'object') {
    // The scalar writes its own separating space: `-` + ` text`.
    out.push('-');
    return scalar(value, indent, out);
  }
  if (depth > MAX_DEPTH) return false;
  out.push('- ');
  if (Array.isArray(value)) {
    if (value.length > 0) return sequence(value, indent, depth + 1, out);
    out.push('[]');
    return true;
  }
  if (!isPlainObject(value)) return false;
  if (hasPairs(value)) return mapping(value, indent, depth + 1, out);
  out.push('{}');
  return true;
}

/** A block sequence whose items start at `indent` (the first line without it). */
function sequence(items: readonly unknown[], indent: string, depth: number, out: Out): boolean {
  if (Object.getPrototypeOf(items) !== Array.prototype) return false;
  const inner = `${indent}  `;
  for (let i = 0; i < items.length; i++) {
    if (!(i in items)) return false;
    if (i > 0) out.push('\n', indent);
    if (!item(items[i], inner, depth, out)) return false;
  }
  return true;
}

/** A block mapping of at least one pair whose pairs start at `indent` (the first line without it). */
function mapping(object: Record<string, unknown>, indent: string, depth: number, out: Out): boolean {
  const inner = `${indent}  `;
  let first = true;
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value === undefined) continue; // the library leaves such pairs out
    const k = keyScalar(key);
    if (k === undefined) return false;
    if (!first) out.push('\n', indent);
    out.push(k, ':');
    if (!node(value, inner, depth, out)) return false;
    first = false;
  }
  return true;
}

/**
 * One YAML document for a plain object, byte for byte what `stringify(value, YAML_OPTIONS)`
 * returns, or undefined when the value holds something this emitter leaves to the library.
 */
export function emitYaml(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !isPlainObject(value)) return undefined;
  if (!hasPairs(value)) return undefined;
  const out: Out = [];
  if (!mapping(value, '', 0, out)) return undefined;
  out.push('\n');
  return out.join('');
}
