import { read } from '@isthmus/partition';
import type { CsvRow } from '@isthmus/partition/text';
import { type ObjectStore, openStore, type S3ConnectionOptions } from '@isthmus/storage';
import { EmptyDocumentError, MalformedDocumentError, UnsupportedDocumentError } from '../errors.js';
import { chunkId } from './chunk-id.js';
import { type ChunkingOptions, chunkLimits, chunkSection } from './chunk-text.js';
import { decodeDocument, requireText } from './decode-document.js';
import type { DocumentSection } from './document-section.js';
import { partBytes, unitBytes } from './document-store.js';
import { DOCUMENT_KINDS, type DocumentPart, type DocumentUnit, type TextChunk } from './document-unit.js';
import { htmlSections } from './html-sections.js';
import { markdownSections } from './markdown-sections.js';
import { plainTextSections, withoutManRendering } from './plain-text-sections.js';
import { DEFAULT_TEXT_FIELD, jsonRecordText } from './record-text.js';

/** Options of `chunkUnit`. */
export interface ChunkUnitOptions extends ChunkingOptions {
  /** The JSONL field holding the text (default: the unit's, else `text`). */
  textField?: string;
  /** The CSV column holding the text (default: the unit's, else `text`). */
  textColumn?: string;
  /** S3 connection details (else the AWS environment). */
  s3?: S3ConnectionOptions;
}

/** Sections that chunk ids place at `record` (see `chunkId`). */
interface PlacedSections {
  record: number;
  sections: DocumentSection[];
}

/** What a part of a document is called in errors: `url (records 10–19)`. */
function partName(unit: DocumentUnit): string {
  return unit.part ? `${unit.url} (${unit.part.partition.label})` : unit.url;
}

function sectionsOfText(unit: DocumentUnit, text: string): DocumentSection[] {
  switch (unit.kind) {
    case 'markdown':
      return markdownSections(text);
    case 'html':
      return htmlSections(text);
    default:
      return plainTextSections(withoutManRendering(text));
  }
}

function requirePart(unit: DocumentUnit): DocumentPart {
  if (!unit.part) throw new UnsupportedDocumentError(`${unit.url}: a ${unit.kind} unit without its part`);
  return unit.part;
}

async function* jsonlSections(
  unit: DocumentUnit,
  store: ObjectStore,
  field: string,
): AsyncIterable<PlacedSections> {
  const part = requirePart(unit);
  const text = decodeDocument(await partBytes(part.partition, store, unit.url), partName(unit));
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const [i, line] of lines.entries()) {
    const record = part.firstRecord + i;
    const where = `${unit.url} line ${record + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new MalformedDocumentError(`${where}: not JSON (${(error as Error).message})`, { cause: error });
    }
    const recordText = jsonRecordText(value, field, where);
    if (recordText) yield { record, sections: [{ heading: '', text: recordText }] };
  }
}

async function* csvSections(
  unit: DocumentUnit,
  store: ObjectStore,
  column: string,
): AsyncIterable<PlacedSections> {
  const part = requirePart(unit);
  let record = part.firstRecord;
  for await (const row of read<CsvRow>(part.partition, { store })) {
    if (!(column in row)) {
      throw new MalformedDocumentError(
        `${unit.url}: no column "${column}" (its columns: ${Object.keys(row).join(', ')})`,
      );
    }
    const text = row[column]!;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and U+FFFD are what the lenient CSV reader leaves of binary or invalid UTF-8
    if (/[\u0000\uFFFD]/.test(text)) {
      // The CSV reader decodes leniently: check the part's bytes strictly (throws when they are not text).
      decodeDocument(await partBytes(part.partition, store, unit.url), partName(unit));
    }
    if (text !== '')
      yield { record, sections: [{ heading: '', text: requireText(text, `${unit.url} row ${record + 1}`) }] };
    record++;
  }
}

async function* unitSections(
  unit: DocumentUnit,
  store: ObjectStore,
  options: ChunkUnitOptions,
): AsyncIterable<PlacedSections> {
  switch (unit.kind) {
    case 'jsonl':
      yield* jsonlSections(unit, store, options.textField ?? unit.field ?? DEFAULT_TEXT_FIELD);
      return;
    case 'csv':
      yield* csvSections(unit, store, options.textColumn ?? unit.field ?? DEFAULT_TEXT_FIELD);
      return;
    default: {
      const bytes = unit.part
        ? await partBytes(unit.part.partition, store, unit.url)
        : await unitBytes(unit, store);
      const text = decodeDocument(bytes, partName(unit));
      yield { record: unit.part?.firstRecord ?? 0, sections: sectionsOfText(unit, text) };
    }
  }
}

/**
 * The chunks of one work unit, reading only its object (or its part of a big one), pinned to the
 * planned etag. Decoding is strict (`BinaryDocumentError`, `InvalidUtf8Error`), a unit with no
 * text is `EmptyDocumentError`, a kind it does not know `UnsupportedDocumentError`. Each section
 * (a heading's text; a JSONL value's or CSV row's text) is cut by `chunkSection`; JSONL values
 * and CSV rows without text (field absent, null or empty) are skipped. Chunk ids: `chunkId`.
 */
export async function* chunkUnit(
  unit: DocumentUnit,
  options: ChunkUnitOptions = {},
): AsyncIterable<TextChunk> {
  if (!DOCUMENT_KINDS.includes(unit.kind)) {
    throw new UnsupportedDocumentError(`${unit.url}: documents of kind "${unit.kind}" are not read`);
  }
  const limits = chunkLimits(options);
  const store = openStore(unit.store, { s3: options.s3 });
  try {
    let chunk = 0;
    for await (const { record, sections } of unitSections(unit, store, options)) {
      let ordinal = 0;
      for (const section of sections) {
        for (const { text } of chunkSection(section.text, limits)) {
          const position = `${record}:${ordinal++}`;
          yield {
            id: chunkId(unit.url, section.heading, position, text),
            text,
            source: unit.url,
            chunk: chunk++,
            heading: section.heading,
          };
        }
      }
    }
    if (chunk === 0) throw new EmptyDocumentError(`${partName(unit)}: no text to embed`);
  } finally {
    await store.close();
  }
}
