/**
 * A fast reader for plain YAML: what synth writes to dist/ (charts-src/render.ts: `yaml`'s
 * stringify of JSON data) and what people write in stack files. Block mappings and
 * sequences, plain, single- and double-quoted scalars on one line, literal block scalars
 * (`|`, `|-`), one-line flow sequences and mappings of scalars (`[a, b]`, `{ cpu: 1 }`),
 * comments (whole lines and after a value), blank lines, documents separated by `---` lines.
 *
 * It gives exactly what `yaml`'s `parseAllDocuments(text)` then `toJS()` gives (YAML 1.2,
 * core schema: the full parser's defaults) or declines: anything outside that subset
 * (anchors, aliases, tags, nested or multi-line flow collections, folded or kept block
 * scalars, multi-line plain or quoted scalars, tabs, CR line ends, empty documents,
 * duplicate keys, anything that would be an error) returns undefined, and the caller reads
 * the file with the full parser, which also reports errors with their line.
 * `test/config/manifest/` checks it against the full parser over every committed dist/
 * file and stack file, and over generated objects.
 */

class Decline extends Error {}

const decline = (): never => {
  throw new Decline();
};

/** Characters that make the fast reader step aside (control characters, tabs, CR, BOM, Unicode line breaks). */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what it looks for
const UNSUPPORTED_TEXT = /[\u0000-\u0009\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;

// The core schema's plain-scalar tags (yaml 2.x schema/core), in the order it tries them.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** Any plain scalar that may resolve to something other than a string starts like this. */
const MAYBE_NOT_STRING = /^[-+.0-9~nNtTfF]/;

/** A plain scalar resolved by the core schema. */
function plainValue(text: string): unknown {
  if (!MAYBE_NOT_STRING.test(text)) return text;
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text[0] === 't' || text[0] === 'T';
  if (INT_OCT.test(text)) return parseInt(text.substring(2), 8);
  if (INT.test(text)) return parseInt(text, 10);
  if (INT_HEX.test(text)) return parseInt(text.substring(2), 16);
  if (FLOAT_NAN.test(text)) {
    if (text.slice(-3).toLowerCase() === 'nan') return NaN;
    return text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (FLOAT_EXP.test(text) || FLOAT.test(text)) return parseFloat(text);
  return text;
}

/** First characters a plain scalar of ours never starts with (YAML indicators, spaces). */
const NOT_PLAIN_START = new Set([...'-?:,[]{}#&*!|>\'"%@` ']);
/** What a one-line plain scalar cannot hold: `: `, ` #`, a trailing space or colon. */
const NOT_PLAIN = /: | #|[ :]$/;

/** Checks a one-line plain scalar the way the full parser would read it, or declines. */
function checkPlain(text: string): string {
  if (text === '' || NOT_PLAIN_START.has(text[0]!)) {
    // `-1`, `-x`: a dash followed by a non-space is a plain scalar.
    if (!(text[0] === '-' && text.length > 1 && text[1] !== ' ' && !text.startsWith('---'))) decline();
  }
  if (NOT_PLAIN.test(text)) decline();
  return text;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};
const HEX_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** A double-quoted scalar starting at `start` (the quote) that ends on this line: [value, index after it]. */
function doubleQuoted(line: string, start: number): [string, number] {
  let out = '';
  let from = start + 1;
  for (let i = from; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') return [detached(out + line.slice(from, i)), i + 1];
    if (ch !== '\\') continue;
    out += line.slice(from, i);
    const next = line[i + 1] ?? decline();
    const length = HEX_LENGTH[next];
    if (length !== undefined) {
      const hex = line.substr(i + 2, length);
      if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) decline();
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) decline();
      out += String.fromCodePoint(code);
      i += 1 + length;
    } else {
      out += ESCAPES[next] ?? decline();
      i += 1;
    }
    from = i + 1;
  }
  return decline();
}

/** A single-quoted scalar starting at `start` that ends on this line: [value, index after it]. */
function singleQuoted(line: string, start: number): [string, number] {
  let out = '';
  let from = start + 1;
  for (let i = from; i < line.length; i++) {
    if (line[i] !== "'") continue;
    if (line[i + 1] === "'") {
      out += line.slice(from, i + 1);
      from = i + 2;
      i++;
      continue;
    }
    return [detached(out + line.slice(from, i)), i + 1];
  }
  return decline();
}

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

const SPACE = 32;
const HASH = 35;

function skipSpaces(line: string, from: number): number {
  while (line.charCodeAt(from) === SPACE) from++;
  return from;
}

/** True when nothing follows `end` on the line but spaces, or spaces and a comment (`  # ...`). */
function endsAt(line: string, end: number): boolean {
  const next = skipSpaces(line, end);
  return next === line.length || (next > end && line.charCodeAt(next) === HASH);
}

/** A plain scalar's text from `start`: up to a comment (` #`), without the spaces before it. */
function plainText(line: string, start: number): string {
  let end = line.indexOf(' #', start);
  if (end < 0) return line.slice(start);
  while (end > start && line.charCodeAt(end - 1) === SPACE) end--;
  return line.slice(start, end);
}

/**
 * A string the reader gives out, as a copy that does not keep the text it was cut from
 * alive. V8 represents a cut of 13 or more characters (`slice`, `split`) as a view of its
 * parent (SlicedString::kMinLength, v8/src/objects/string.h), and a concatenation as a
 * pair of its parts: every scalar of a file would keep the whole file's text in memory as
 * long as the parsed objects live (at 10,000 tenants, 112 MB held by guardrails.yaml).
 * Joining to a one-character string and cutting it off makes V8 flatten the pair into a
 * new string first, so the result is a view of that copy only. Shorter strings are
 * copies already.
 */
export function detached(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

/** Keys a plain object inherits (`toString`, `__proto__`, ...): set as own properties, as `yaml` does. */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Sets a key the way `yaml`'s toJS does; a duplicate key is an error, left to the full parser. */
function setKey(map: Record<string, unknown>, key: string, value: unknown): void {
  if (INHERITED.has(key)) {
    if (Object.prototype.hasOwnProperty.call(map, key)) decline();
    Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
    return;
  }
  // Values are never undefined here (an empty value is null), so this finds every duplicate.
  if (map[key] !== undefined) decline();
  map[key] = value;
}

/**
 * The texts of plain keys and scalars recur across documents (`name`, `labels`, a tenant's
 * label values): each is checked and resolved once, and every occurrence gets the first
 * one's string, so the values share their text and a key is a string the engine has
 * already hashed. Strings are the only values kept (numbers, booleans and null are cheap
 * to resolve again); bounded so one huge file cannot grow them without limit.
 */
const PLAIN_KEYS = new Map<string, string>();
const PLAIN_STRINGS = new Map<string, string>();
const KNOWN_LIMIT = 50_000;

/** Remembers a text the reader gives out (already detached, so the map does not keep the file alive). */
function remember(known: Map<string, string>, text: string): void {
  if (known.size >= KNOWN_LIMIT) known.clear();
  known.set(text, text);
}

/** A plain key as the full parser reads it, or a decline for keys that are not plain strings. */
function plainKey(text: string): string {
  const known = PLAIN_KEYS.get(text);
  if (known !== undefined) return known;
  const key = detached(checkPlain(text));
  // Keys that resolve to something else, or that some schemas merge, are the full parser's.
  if (typeof plainValue(key) !== 'string' || key === '<<') decline();
  remember(PLAIN_KEYS, key);
  return key;
}

/** A one-line plain scalar's value. */
function plainScalar(raw: string): unknown {
  const known = PLAIN_STRINGS.get(raw);
  if (known !== undefined) return known;
  const value = plainValue(checkPlain(raw));
  if (typeof value !== 'string') return value;
  const text = detached(value);
  remember(PLAIN_STRINGS, text);
  return text;
}

/** A plain scalar inside a flow collection: up to `,`, `:` or the closing bracket; [text, index after it]. */
function flowPlain(line: string, start: number): [string, number] {
  let end = start;
  for (; end < line.length; end++) {
    const ch = line[end];
    if (ch === ',' || ch === ']' || ch === '}' || ch === ':') break;
    // Nested collections, and `#` (a comment or not, depending on the space before it), are the full parser's.
    if (ch === '[' || ch === '{' || ch === '#') decline();
  }
  let last = end;
  while (last > start && line.charCodeAt(last - 1) === SPACE) last--;
  return [line.slice(start, last), end];
}

/** A quoted or plain scalar inside a flow collection, as a key or a value (or a nested collection): [value, index after it]. */
function flowNode(line: string, start: number, asKey: boolean): [unknown, number] {
  const ch = line[start];
  if (ch === '"') return doubleQuoted(line, start);
  if (ch === "'") return singleQuoted(line, start);
  if (!asKey && (ch === '[' || ch === '{')) return flowCollection(line, start);
  const [text, end] = flowPlain(line, start);
  return [asKey ? plainKey(text) : plainScalar(text), end];
}

/**
 * A flow sequence (`[a, b]`) or mapping (`{ a: 1, b: [x] }`) that opens at `start` and
 * closes on the same line: [value, index after it]. Keys are scalars, separated from their
 * value by `: `; a trailing comma, an empty entry, a key without a value, a collection as a
 * key or a collection over several lines is the full parser's.
 */
function flowCollection(line: string, start: number): [unknown, number] {
  const mapping = line[start] === '{';
  const close = mapping ? '}' : ']';
  const list: unknown[] = [];
  const map: Record<string, unknown> = {};
  let i = skipSpaces(line, start + 1);
  if (line[i] === close) return [mapping ? map : list, i + 1];
  for (;;) {
    let value: unknown;
    if (mapping) {
      let key: unknown;
      [key, i] = flowNode(line, i, true);
      if (line[i] !== ':' || line.charCodeAt(i + 1) !== SPACE) decline();
      [value, i] = flowNode(line, skipSpaces(line, i + 1), false);
      setKey(map, key as string, value);
    } else {
      [value, i] = flowNode(line, i, false);
      list.push(value);
    }
    i = skipSpaces(line, i);
    if (line[i] === close) return [mapping ? map : list, i + 1];
    if (line[i] !== ',') decline();
    i = skipSpaces(line, i + 1);
    if (line[i] === close || line[i] === ',') decline();
  }
}

/** One document: lines [from, to) of the text. */
class DocumentReader {
  private line: number;

  constructor(
    private readonly lines: readonly string[],
    from: number,
    private readonly to: number,
  ) {
    this.line = from;
  }

  read(): unknown {
    if (this.indent() !== 0) decline(); // nothing but comments, or an indented first line
    const first = this.lines[this.line]!;
    if (first.startsWith('- ') || first === '-') decline(); // only mappings
    const value = this.mapping(0, 0);
    if (this.line !== this.to) decline();
    return value;
  }

  /**
   * The indentation of the next line with content, or -1 at the end of the document. Blank
   * lines and comment lines on the way are skipped (outside block scalars they mean nothing,
   * whatever their indentation).
   */
  private indent(): number {
    for (; this.line < this.to; this.line++) {
      const text = this.lines[this.line]!;
      const indent = indentOf(text);
      if (indent !== text.length && text.charCodeAt(indent) !== HASH) return indent;
    }
    return -1;
  }

  /** A block mapping whose first key is at `column` of the current line. */
  private mapping(column: number, firstColumn: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    let at = firstColumn;
    for (;;) {
      this.entry(map, column, at);
      const indent = this.indent();
      if (indent < column) return map;
      if (indent > column) decline();
      at = column;
    }
  }

  /** One `key: value` of a mapping at `column`, its key at `at` of the current line. */
  private entry(map: Record<string, unknown>, column: number, at: number): void {
    const text = this.lines[this.line]!;
    let key: string;
    let colon: number;
    const quote = text[at];
    if (quote === '"' || quote === "'") {
      [key, colon] = quote === '"' ? doubleQuoted(text, at) : singleQuoted(text, at);
      if (text[colon] !== ':') decline();
    } else {
      colon = text.indexOf(': ', at);
      if (colon < 0) colon = text.endsWith(':') ? text.length - 1 : decline();
      key = plainKey(text.slice(at, colon));
    }
    const rest = colon + 1;
    if (endsAt(text, rest)) {
      this.line++;
      setKey(map, key, this.nested(column));
    } else {
      if (text[rest] !== ' ' || text[rest + 1] === ' ') decline();
      setKey(map, key, this.inline(text, rest + 1, column));
    }
  }

  /** The value of `key:` at the end of a line: a block node indented below it, or null. */
  private nested(column: number): unknown {
    const indent = this.indent();
    if (indent <= column) {
      if (indent === column && this.lines[this.line]!.startsWith('-', indent)) decline();
      return null;
    }
    return this.node(indent, indent);
  }

  /** A block node (mapping or sequence; or a flow collection) whose lines are at `column`, starting at `at` of the current line. */
  private node(column: number, at: number): unknown {
    const text = this.lines[this.line]!;
    // `key: # comment` then the flow collection on the next line, as yaml writes it.
    if (text[at] === '[' || text[at] === '{') return this.inline(text, at, column);
    if (text.startsWith('- ', at) || (text.length === at + 1 && text[at] === '-')) return this.sequence(column, at);
    return this.mapping(column, at);
  }

  /** A block sequence whose dashes are at `column`, the first at `at` of the current line. */
  private sequence(column: number, at: number): unknown[] {
    const list: unknown[] = [];
    for (;;) {
      const text = this.lines[this.line]!;
      if (!text.startsWith('- ', at)) decline();
      list.push(this.item(text, at + 2, column));
      const indent = this.indent();
      if (indent < column) return list;
      if (indent > column) decline();
      at = column;
    }
  }

  /** A sequence item starting at `at` of the current line (`- ` before it at `column`). */
  private item(text: string, at: number, column: number): unknown {
    const ch = text[at];
    if (ch === '-' && (text[at + 1] === ' ' || at + 1 === text.length)) return this.node(at, at);
    if (ch === '"' || ch === "'") {
      const [, end] = ch === '"' ? doubleQuoted(text, at) : singleQuoted(text, at);
      if (text[end] === ':') return this.mapping(at, at);
      return this.inline(text, at, column);
    }
    if (ch === '|' || ch === '>' || ch === '{' || ch === '[') return this.inline(text, at, column);
    // A plain item is a mapping when it holds a key before any comment (` #`).
    const comment = text.indexOf(' #', at);
    const colon = text.indexOf(': ', at);
    if ((colon >= 0 && (comment < 0 || colon < comment)) || (comment < 0 && text.endsWith(':')))
      return this.mapping(at, at);
    return this.inline(text, at, column);
  }

  /** A value on the current line from `at` to its end; `column` is the indentation of its parent node. */
  private inline(text: string, at: number, column: number): unknown {
    const ch = text[at];
    let value: unknown;
    let end = text.length;
    if (ch === '"') [value, end] = doubleQuoted(text, at);
    else if (ch === "'") [value, end] = singleQuoted(text, at);
    else if (ch === '|' || ch === '>') return this.blockScalar(text.slice(at), column);
    else if (ch === '{' || ch === '[') [value, end] = flowCollection(text, at);
    else value = plainScalar(plainText(text, at));
    if (end !== text.length && !endsAt(text, end)) decline();
    this.line++;
    return value;
  }

  /** A literal (`|`, `|-`) or folded (`>`, `>-`) block scalar whose header is on the current line, below a node at `column`. */
  private blockScalar(header: string, column: number): string {
    if (header !== '|' && header !== '|-' && header !== '>' && header !== '>-') decline();
    const content: string[] = [];
    let indent = -1;
    let i = this.line + 1;
    for (; i < this.to; i++) {
      const text = this.lines[i]!;
      const spaces = indentOf(text);
      if (spaces === text.length) {
        if (indent < 0 && spaces > 0) decline(); // leading lines of spaces: the indentation is ambiguous
        content.push(spaces > indent && indent >= 0 ? text.slice(indent) : '');
        continue;
      }
      if (indent < 0) {
        if (spaces <= column) break;
        indent = spaces;
      }
      if (spaces < indent) break;
      content.push(text.slice(indent));
    }
    let last = content.length - 1;
    while (last >= 0 && content[last] === '') last--;
    if (last < 0) decline();
    this.line = i;
    const lines = content.slice(0, last + 1);
    const body = header[0] === '>' ? foldedText(lines) : lines.join('\n');
    return detached(header.length === 1 ? `${body}\n` : body);
  }
}

/**
 * The text of a folded block scalar from its lines (indentation removed): a line break
 * between two lines becomes a space, and blank lines between them become the line breaks.
 * More-indented lines (kept as they are) and leading blank lines are the full parser's.
 */
function foldedText(lines: readonly string[]): string {
  if (lines[0] === '') decline();
  let out = '';
  lines.forEach((line, k) => {
    if (line.charCodeAt(0) === SPACE) decline();
    if (k === 0) out = line;
    else if (line === '') out += '\n';
    else out += lines[k - 1] === '' ? line : ` ${line}`;
  });
  return out;
}

/** Where a document is in its text: its first line (0-based) and its characters [start, end). */
export interface PlainDocumentSpan {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/** The documents of a plain YAML text and where each one is, or undefined (see readPlainYaml). */
export function readPlainDocuments(text: string): { values: unknown[]; spans: PlainDocumentSpan[] } | undefined {
  if (text.length === 0 || !text.endsWith('\n') || UNSUPPORTED_TEXT.test(text)) return undefined;
  const lines = text.split('\n');
  lines.pop(); // the text ends with a line break
  const values: unknown[] = [];
  const spans: PlainDocumentSpan[] = [];
  try {
    let from = 0;
    let start = 0;
    let offset = 0;
    for (let i = 0; i <= lines.length; i++) {
      const line = lines[i];
      if (line !== undefined && line !== '---') {
        if (line.startsWith('---') || line.startsWith('...') || line.startsWith('%')) {
          return undefined;
        }
        offset += line.length + 1;
        continue;
      }
      if (i === from) return undefined; // an empty document, or a marker first
      values.push(new DocumentReader(lines, from, i).read());
      spans.push({ line: from, start, end: offset });
      offset += 4; // the marker and its line break
      from = i + 1;
      start = offset;
    }
  } catch (error) {
    if (error instanceof Decline) return undefined;
    throw error;
  }
  return { values, spans };
}

/**
 * The documents of a YAML text as `yaml` would give them (`parseAllDocuments`, then
 * `toJS()` of each), or undefined when the text is not in the plain subset this reader
 * knows (the caller then uses the full parser).
 */
export function readPlainYaml(text: string): unknown[] | undefined {
  return readPlainDocuments(text)?.values;
}
