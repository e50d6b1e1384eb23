import type { Partition } from '@isthmus/partition';

/** The kinds of document ingest reads. */
export type DocumentKind = 'text' | 'markdown' | 'html' | 'jsonl' | 'csv';

/** Every document kind, in the order their names are tried. */
export const DOCUMENT_KINDS: readonly DocumentKind[] = ['text', 'markdown', 'html', 'jsonl', 'csv'];

/**
 * A piece of a big line-based document (text, JSONL, CSV): one `@isthmus/partition` partition of
 * it (plain JSON, pinned to the object's etag) and the number of records (lines, values, rows)
 * before it in the document.
 */
export interface DocumentPart {
  partition: Partition;
  firstRecord: number;
}

/**
 * One work unit of ingest, as plain JSON so it crosses to functions: a whole object, or one part
 * of a big one (`part`). It names its object by store URL and key, and pins the object's `etag`:
 * reading it after the object changed fails with partition's `StaleDatasetError`.
 */
export interface DocumentUnit {
  /** The object's URL: the `source` of its chunks. */
  url: string;
  kind: DocumentKind;
  /** The URL of the store holding the object (a directory or bucket prefix). */
  store: string;
  /** The object's key in `store`. */
  key: string;
  /** The version planned; a changed object is not read. */
  etag: string;
  /** Bytes of the object (all of it, also for a part). */
  size: number;
  /** The JSONL field or CSV column holding the text, when not `text`. */
  field?: string;
  /** For JSONL and CSV always, for text larger than the unit size: the part of the object to read. */
  part?: DocumentPart;
}

/** One chunk of a document, ready to embed. */
export interface TextChunk {
  /** Content hash of source, heading, position and text (see `chunkId`). */
  id: string;
  text: string;
  /** The document's URL. */
  source: string;
  /** Position of the chunk in its unit (a whole document, or a part of a partitioned one), from 0. */
  chunk: number;
  /** The heading path the chunk sits under (`Install › From npm`), empty when none. */
  heading: string;
}
