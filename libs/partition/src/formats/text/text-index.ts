import { GzipIndexer, type GzipLayout, gzipCheckpointSpacing } from '../../codecs/gzip-checkpoints.js';
import { startsWithGzipMagic } from '../../codecs/gzip-member-header.js';
import { checkpointBefore } from '../../codecs/gzip-random-access.js';
import type { DatasetSource } from '../../dataset-source.js';
import { CorruptDataError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import type { Checkpoint, RecordLayout } from '../../record-intervals.js';
import type { Locate, ScannerFactory } from './record-scanner.js';

/** How the text of a dataset is stored. */
export type TextCompression = 'none' | 'gzip';

/**
 * The index of a record-per-line(s) text dataset, plain or gzip: the records, record checkpoints
 * (for gzip at the first record after each gzip checkpoint) and the gzip checkpoints. Offsets in
 * `start`, `end` and `checkpoints` are in the (decompressed) text.
 */
export type TextIndex = {
  /** The dataset's key (where partitions read). */
  key: string;
  compression: TextCompression;
  /** Bytes of the object. */
  size: number;
  /** Records after the header. */
  records: number;
  /** Where the first record starts (after the header) and the text ends. */
  start: number;
  end: number;
  /** Record checkpoints, flat: `[record, textOffset, record, textOffset, …]`, the first at record 0. */
  checkpoints: number[];
  /** The header record's text (CSV), with its line terminator; null for formats without one. */
  header: string | null;
  /** Format settings (e.g. the CSV delimiter), handed to every partition. */
  settings: JsonObject;
  /** Where decompression can start, for gzip. */
  gzip: GzipLayout | null;
};

/** Record checkpoint spacing in text bytes for plain text of `size` bytes: 16 KiB–1 MiB. */
function plainCheckpointSpacing(size: number): number {
  return Math.min(1 << 20, Math.max(16 << 10, Math.ceil(size / 64)));
}

/** The longest header record kept in an index. */
const MAX_HEADER_BYTES = 1 << 20;

/** What the index pass needs to know about a format. */
export interface TextIndexOptions {
  scanner: ScannerFactory;
  /** Whether the first record is a header (CSV). */
  header: boolean;
  settings: JsonObject;
}

/**
 * The index pass of a text format: streams the object once (decompressing gzip through the
 * checkpointing inflater), finds every record end with the format's scanner, and keeps a record
 * checkpoint every so often. Memory stays bounded: only the header is kept.
 */
export async function indexText(source: DatasetSource, options: TextIndexOptions): Promise<TextIndex> {
  const { size } = await source.head();
  source.expectBytes(size);
  const stream = (size === 0 ? emptyStream() : source.stream())[Symbol.asyncIterator]();
  const first = await stream.next();
  const firstChunk = first.done ? new Uint8Array(0) : first.value;
  const stored = (async function* () {
    yield firstChunk;
    for (let next = await stream.next(); !next.done; next = await stream.next()) yield next.value;
  })();
  const gzip = startsWithGzipMagic(firstChunk)
    ? new GzipIndexer(source.key, gzipCheckpointSpacing(size))
    : null;
  const locate: Locate = (offset) => ({
    key: source.key,
    offset: gzip ? checkpointBefore(gzip.checkpoints, offset).in : offset,
  });
  const scanner = options.scanner(locate);
  const spacing = plainCheckpointSpacing(size);
  const checkpoints: Checkpoint[] = [];
  const headerParts: Uint8Array[] = [];
  let header: string | null = null;
  let start = 0;
  let ends = 0;
  let nextGzipCheckpoint = 0;
  /** The text offset where the next record checkpoint may be: a gzip checkpoint, or `spacing` after the last. */
  const due = (): number => {
    if (!gzip) return checkpoints.length === 0 ? start : checkpoints.at(-1)!.byte + spacing;
    const points = gzip.checkpoints;
    const last = checkpoints.at(-1)?.byte ?? -1;
    while (nextGzipCheckpoint < points.length && points[nextGzipCheckpoint]!.out <= last)
      nextGzipCheckpoint++;
    return points[nextGzipCheckpoint]?.out ?? Number.POSITIVE_INFINITY;
  };
  const recordEnd = (end: number): void => {
    ends++;
    if (options.header && header === null) {
      header = Buffer.concat(headerParts).subarray(0, end).toString('utf8');
      headerParts.length = 0;
      start = end;
      checkpoints.push({ record: 0, byte: end });
    } else if (end >= due()) {
      checkpoints.push({ record: ends - (options.header ? 1 : 0), byte: end });
    }
  };
  if (!options.header) checkpoints.push({ record: 0, byte: 0 });
  let offset = 0;
  for await (const chunk of gzip ? gzip.inflate(stored) : stored) {
    if (options.header && header === null) headerParts.push(chunk);
    scanner.scan(chunk, offset, recordEnd);
    offset += chunk.length;
    if (options.header && header === null && offset > MAX_HEADER_BYTES) {
      throw new CorruptDataError(locate(0), `no header line within the first ${MAX_HEADER_BYTES} bytes`);
    }
  }
  if (scanner.finish(offset)) recordEnd(offset);
  if (options.header && header === null) checkpoints.push({ record: 0, byte: offset });
  const records = Math.max(0, ends - (options.header ? 1 : 0));
  const kept = checkpoints.filter((checkpoint, i) => i === 0 || checkpoint.record < records);
  return {
    key: source.key,
    compression: gzip ? 'gzip' : 'none',
    size,
    records,
    start: options.header ? (header === null ? offset : start) : 0,
    end: offset,
    checkpoints: kept.flatMap((checkpoint) => [checkpoint.record, checkpoint.byte]),
    header,
    settings: options.settings,
    gzip: gzip ? gzip.layout() : null,
  };
}

async function* emptyStream(): AsyncIterable<Uint8Array> {}

/** The index as a record layout for the planner. */
export function textLayout(index: TextIndex): RecordLayout {
  const checkpoints: Checkpoint[] = [];
  for (let i = 0; i < index.checkpoints.length; i += 2) {
    checkpoints.push({ record: index.checkpoints[i]!, byte: index.checkpoints[i + 1]! });
  }
  return { records: index.records, start: index.start, end: index.end, checkpoints };
}
