import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from 'apache-arrow';

/** One chunk of a document with its vector: a row of a vectors table. */
export interface ChunkRow {
  /** Content hash of the chunk (its source and text): the same chunk always gets the same id. */
  id: string;
  /** The chunk's text. */
  text: string;
  /** The document's URL. */
  source: string;
  /** The chunk's index within its document (or within its part of a partitioned document). */
  chunk: number;
  /** The headings the chunk sits under (`Install › From npm`), empty when none. */
  heading: string;
  /** The embedding. */
  vector: Float32Array;
}

/** The embedder a table's vectors come from, kept in the table's schema metadata. */
export interface TableEmbedderInfo {
  modelId: string;
  dimension: number;
}

/** Schema metadata key holding `TableEmbedderInfo` as JSON. */
export const EMBEDDER_METADATA_KEY = 'isthmus.vectors.embedder';

/** The Arrow schema of a vectors table for vectors of `embedder.dimension` (`FixedSizeList<Float32>`). */
export function chunkSchema(embedder: TableEmbedderInfo): Schema {
  const recorded: TableEmbedderInfo = { modelId: embedder.modelId, dimension: embedder.dimension };
  const metadata = new Map([[EMBEDDER_METADATA_KEY, JSON.stringify(recorded)]]);
  return new Schema(
    [
      new Field('id', new Utf8(), false),
      new Field('text', new Utf8(), false),
      new Field('source', new Utf8(), false),
      new Field('chunk', new Int32(), false),
      new Field('heading', new Utf8(), false),
      new Field(
        'vector',
        new FixedSizeList(embedder.dimension, new Field('item', new Float32(), true)),
        false,
      ),
    ],
    metadata,
  );
}

/** The embedder recorded in a table's schema, if the table was written by this library. */
export function embedderOfSchema(schema: Schema): TableEmbedderInfo | undefined {
  const text = schema.metadata.get(EMBEDDER_METADATA_KEY);
  return text ? (JSON.parse(text) as TableEmbedderInfo) : undefined;
}
