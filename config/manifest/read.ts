/**
 * Reading YAML manifests (dist/ files, any folder of manifests): every document of a
 * text, each as plain data or as the reason it cannot be read, with the line of any field
 * path for reports.
 *
 * Plain documents (what synth writes) are read by a fast reader (plain-yaml.ts); a text it
 * declines is read by the full `yaml` parser, which gives the same values and the errors
 * with their line and column. Lines of field paths always come from the full parser,
 * parsed once per text and only when a report asks for a line, so they are exactly what
 * they were before the fast reader.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { PathSegment } from './object';
import { readPlainYaml } from './plain-yaml';

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

/** Every document of a YAML text (see the module comment). */
export function readYaml(text: string, options: ReadYamlOptions = {}): YamlStream {
  const plain = options.fast === false ? undefined : readPlainYaml(text);
  let full: FullParse | undefined = plain ? undefined : fullParse(text);
  const parsed = () => (full ??= fullParse(text));
  return {
    documents: plain ? plain.map((value) => ({ value })) : documentsOf(parsed()),
    fast: plain !== undefined,
    lineOf: (index, path) => lineIn(parsed(), index, path),
    startOf: (index) => parsed().counter.linePos(parsed().docs[index]?.contents?.range?.[0] ?? 0),
  };
}
