/**
 * Reading a YAML file in pieces. The file is read a block at a time and cut at document
 * markers (`\n---\n`) into pieces of whole documents; each piece is read by the fast
 * reader on its own and then dropped. What stays in memory is the values and where each
 * document is (its first line and its bytes), never the file's text: at 10,000 tenants
 * dist/<stack>/guardrails.yaml is 56 MB, which as one string (two bytes a character once
 * it holds a single non-Latin-1 character) plus its lines cost some 200 MB at once.
 *
 * A line is found by reading that document again, when one is asked for (a finding's),
 * and only while the file is the one that was read (the same size, modification time and
 * inode); otherwise the line is unknown. A file the fast reader declines in any piece is
 * read whole by readYaml (the full parser, with its errors and their lines).
 *
 * The cut is exact: the fast reader reads a text as the documents between `---` lines
 * and declines a text that starts with a marker, holds an empty document or does not end
 * with a line break (plain-yaml.ts readPlainDocuments). So the pieces give the same
 * documents as the whole text, or one of them declines exactly when the whole would.
 * Cuts fall on ASCII line breaks, so no UTF-8 character is split.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import { readPlainDocuments } from './plain-yaml';
import { plainLines, readYaml, type DocumentPlace, type YamlStream } from './read';

/** Bytes read at a time; a piece is at least this long unless the file ends first. */
const BLOCK_BYTES = 1 << 20;
const MARKER = Buffer.from('\n---\n');

interface Place {
  /** First line of the document, 0-based. */
  readonly line: number;
  /** Its bytes in the file: [start, end). */
  readonly start: number;
  readonly end: number;
}

export interface ReadYamlFileOptions {
  /** Bytes read at a time (tests use small blocks to cut between many documents). @default 1 MiB */
  readonly blockBytes?: number;
}

/** Every document of a YAML file (see the module comment); fs errors (a missing file) are thrown as they are. */
export function readYamlFile(file: string, options: ReadYamlFileOptions = {}): YamlStream {
  const fd = openSync(file, 'r');
  let read: Stats;
  let pieces: { values: unknown[]; places: Place[] } | undefined;
  try {
    read = fstatSync(fd);
    pieces = readPieces(fd, options.blockBytes ?? BLOCK_BYTES);
  } finally {
    closeSync(fd);
  }
  // A declined piece means the whole text declines too (module comment): straight to the full parser.
  if (!pieces) return readYaml(readFileSync(file, 'utf8'), { fast: false });
  const { values, places } = pieces;
  const placeOf = (index: number): DocumentPlace | undefined => {
    const place = places[index];
    return place && { line: place.line, text: () => readAgain(file, read, place.start, place.end) };
  };
  return { documents: values.map((value) => ({ value })), fast: true, ...plainLines(placeOf) };
}

/** The values and places of every document, piece by piece; undefined when the fast reader declines a piece. */
function readPieces(fd: number, blockBytes: number): { values: unknown[]; places: Place[] } | undefined {
  const values: unknown[] = [];
  const places: Place[] = [];
  let pending: Buffer[] = []; // read since the last cut, with no marker in it yet
  let offset = 0; // the file's byte where `pending` starts
  let line = 0; // and its line
  for (let position = 0; ;) {
    const block = Buffer.allocUnsafe(blockBytes);
    const n = readSync(fd, block, 0, blockBytes, position);
    position += n;
    // No marker in this block: read on. (One that starts in the block before is found at
    // the next cut, which then takes the last marker of everything read.)
    if (n > 0 && !block.subarray(0, n).includes(MARKER)) {
      pending.push(block.subarray(0, n));
      continue;
    }
    const data = Buffer.concat([...pending, block.subarray(0, n)]);
    const end = n === 0 ? data.length : data.lastIndexOf(MARKER) + 1; // after the line break before `---`
    const piece = data.subarray(0, end);
    const text = piece.toString('utf8');
    const plain = text.length > 0 ? readPlainDocuments(text) : undefined;
    if (!plain) return undefined;
    const bytes = byteSpans(text, piece.length, plain.spans);
    plain.spans.forEach((span, i) => {
      values.push(plain.values[i]);
      places.push({ line: line + span.line, start: offset + bytes[i]!.start, end: offset + bytes[i]!.end });
    });
    if (n === 0) return { values, places };
    const last = plain.spans[plain.spans.length - 1]!;
    line += last.line + lineBreaks(text, last.start) + 1; // the piece's lines, and the marker's
    offset += end + 4; // `---\n`
    pending = [data.subarray(end + 4)];
  }
}

/** The documents' places in bytes of the piece (the same as in characters when it is ASCII). */
function byteSpans(
  text: string,
  byteLength: number,
  spans: readonly { readonly start: number; readonly end: number }[],
): { start: number; end: number }[] {
  if (byteLength === text.length) return spans.map(({ start, end }) => ({ start, end }));
  let chars = 0;
  let bytes = 0;
  const at = (offset: number) => {
    bytes += Buffer.byteLength(text.slice(chars, offset));
    chars = offset;
    return bytes;
  };
  return spans.map(({ start, end }) => ({ start: at(start), end: at(end) }));
}

/** Line breaks in `text` from `from` on (the last document of a piece: a few, not the piece's million). */
function lineBreaks(text: string, from: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Bytes [start, end) of `file` as text, if it is still the file that was read. */
function readAgain(file: string, read: Stats, start: number, end: number): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const now = fstatSync(fd);
    if (now.size !== read.size || now.mtimeMs !== read.mtimeMs || now.ino !== read.ino) return undefined;
    const bytes = Buffer.alloc(end - start);
    return readSync(fd, bytes, 0, bytes.length, start) === bytes.length ? bytes.toString('utf8') : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
