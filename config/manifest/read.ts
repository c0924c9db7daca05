/**
 * Reading YAML manifests (dist/ files, any folder of manifests): every document of a
 * text, each as plain data or as the reason it cannot be read, with the line of any field
 * path for reports.
 *
 * Plain documents (what synth writes) are read by a fast reader (plain-yaml.ts); a text it
 * declines is read by the full `yaml` parser, which gives the same values and the errors
 * with their line and column. Lines of field paths always come from the full parser: for
 * a text the fast reader read, only the document a report asks a line of is parsed, once,
 * so lines are exactly what they were before the fast reader.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { PathSegment } from './object';
import { detached, readPlainDocuments } from './plain-yaml';

/** Why a document cannot be read, and where (1-based). */
export interface YamlProblem {
  readonly message: string;
  readonly line: number;
  readonly col: number;
}

/** One document: its value (null for an empty one) or the problem that makes it unreadable. */
export type YamlDocument =
  { readonly value: unknown; readonly error?: undefined } | { readonly value?: undefined; readonly error: YamlProblem };

export interface YamlStream {
  readonly documents: readonly YamlDocument[];
  /** The fast reader read the text (false: the full parser did). */
  readonly fast: boolean;
  /** 1-based line of the deepest node of `path` that exists in document `index`. */
  lineOf(index: number, path: readonly PathSegment[]): number | undefined;
  /** 1-based line and column where document `index`'s content starts. */
  startOf(index: number): { line: number; col: number };
}

export interface ReadYamlOptions {
  /** Try the fast reader first. @default true */
  readonly fast?: boolean;
}

interface FullParse {
  readonly docs: readonly Document.Parsed[];
  readonly counter: LineCounter;
}

function fullParse(text: string): FullParse {
  const counter = new LineCounter();
  return { docs: parseAllDocuments(text, { lineCounter: counter, uniqueKeys: true }), counter };
}

function documentsOf({ docs, counter }: FullParse): YamlDocument[] {
  return docs.map((doc) => {
    const error = doc.errors[0];
    if (!error) return { value: doc.toJS({ maxAliasCount: 100 }) as unknown };
    const { line, col } = counter.linePos(error.pos[0]);
    return { error: { message: error.message, line, col } };
  });
}

function lineIn(full: FullParse, index: number, path: readonly PathSegment[]): number | undefined {
  const doc = full.docs[index];
  if (!doc) return undefined;
  let node: unknown = doc.contents;
  let best = node as { range?: readonly number[] } | undefined;
  for (const segment of path) {
    if (isMap(node)) node = node.get(segment, true);
    else if (isSeq(node)) node = node.get(segment as number, true);
    else break;
    if (node === undefined) break;
    best = node as { range?: readonly number[] };
  }
  const offset = best?.range?.[0];
  return offset === undefined ? undefined : full.counter.linePos(offset).line;
}

/** Where a document the fast reader read is: its first line (0-based) and its text, had when a line is asked for. */
export interface DocumentPlace {
  readonly line: number;
  /** The document's text; undefined when it can no longer be had (its lines are then unknown). */
  readonly text: () => string | undefined;
}

/**
 * Lines of documents the fast reader read: each document on its own is parsed by the full
 * parser when a line in it is asked for, and its lines shifted by where it starts. A
 * document of a plain text is independent of the others (no directives, anchors or
 * tags), so this is the line the full parser gives for the whole text.
 */
export function plainLines(placeOf: (index: number) => DocumentPlace | undefined) {
  const parsed = new Map<number, FullParse>();
  const documentAt = (index: number) => {
    let full = parsed.get(index);
    const place = placeOf(index);
    const text = !full ? place?.text() : undefined;
    // Detached, so a parsed document keeps its own text, not the whole file's.
    if (text !== undefined) parsed.set(index, (full = fullParse(detached(text))));
    return { full, shift: place?.line ?? 0 };
  };
  return {
    lineOf: (index: number, path: readonly PathSegment[]) => {
      const { full, shift } = documentAt(index);
      const line = full ? lineIn(full, 0, path) : undefined;
      return line === undefined ? undefined : line + shift;
    },
    startOf: (index: number) => {
      const { full, shift } = documentAt(index);
      const pos = full ? full.counter.linePos(full.docs[0]?.contents?.range?.[0] ?? 0) : { line: 1, col: 1 };
      return { line: pos.line + shift, col: pos.col };
    },
  };
}

/** Every document of a YAML text (see the module comment). */
export function readYaml(text: string, options: ReadYamlOptions = {}): YamlStream {
  const plain = options.fast === false ? undefined : readPlainDocuments(text);
  if (plain) {
    const placeOf = (index: number): DocumentPlace | undefined => {
      const span = plain.spans[index];
      return span && { line: span.line, text: () => text.slice(span.start, span.end) };
    };
    return { documents: plain.values.map((value) => ({ value })), fast: true, ...plainLines(placeOf) };
  }
  const full = fullParse(text);
  return {
    documents: documentsOf(full),
    fast: false,
    lineOf: (index, path) => lineIn(full, index, path),
    startOf: (index) => full.counter.linePos(full.docs[index]?.contents?.range?.[0] ?? 0),
  };
}
