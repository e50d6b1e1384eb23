import {
  type FixedSizeList,
  Float32,
  Int32,
  makeData,
  RecordBatch,
  type Schema,
  Struct,
  Table,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';

/** Rows of a vectors table as columns, vectors packed in one `Float32Array` (row-major). */
export interface ChunkColumns {
  id: string[];
  text: string[];
  source: string[];
  chunk: number[];
  heading: string[];
  vectors: Float32Array;
}

/** The packed vectors of a batch's `vector` column (`FixedSizeList<Float32>`), without copying. */
export function packedVectors(batch: RecordBatch, dimension: number): Float32Array {
  const data = batch.getChild('vector')!.data[0]!;
  const child = data.children[0]!;
  const start = child.offset + data.offset * dimension;
  return (child.values as Float32Array).subarray(start, start + data.length * dimension);
}

/** Collects rows of batches into per-target columns, target chosen per row. */
export class ChunkColumnsCollector {
  readonly #targets: { columns: ChunkColumns; vectors: Float32Array[] }[];

  constructor(
    targets: number,
    private readonly dimension: number,
  ) {
    this.#targets = Array.from({ length: targets }, () => ({
      columns: { id: [], text: [], source: [], chunk: [], heading: [], vectors: new Float32Array() },
      vectors: [],
    }));
  }

  /** Adds every row of `batch` to the target `targetOf(rowIndex, packedVectors)` names. */
  add(batch: RecordBatch, targetOf: (row: number, vectors: Float32Array) => number): void {
    const vectors = packedVectors(batch, this.dimension);
    const id = batch.getChild('id')!;
    const text = batch.getChild('text')!;
    const source = batch.getChild('source')!;
    const chunk = batch.getChild('chunk')!;
    const heading = batch.getChild('heading')!;
    for (let row = 0; row < batch.numRows; row++) {
      const target = this.#targets[targetOf(row, vectors)]!;
      target.columns.id.push(id.get(row));
      target.columns.text.push(text.get(row));
      target.columns.source.push(source.get(row));
      target.columns.chunk.push(chunk.get(row));
      target.columns.heading.push(heading.get(row));
      target.vectors.push(vectors.subarray(row * this.dimension, (row + 1) * this.dimension));
    }
  }

  /** The rows collected for `target`. */
  columns(target: number): ChunkColumns {
    const { columns, vectors } = this.#targets[target]!;
    const packed = new Float32Array(vectors.length * this.dimension);
    for (const [row, vector] of vectors.entries()) packed.set(vector, row * this.dimension);
    return { ...columns, vectors: packed };
  }
}

/** An Arrow table of `schema` (a `chunkSchema`) holding `columns`. */
export function chunkTable(schema: Schema, columns: ChunkColumns): Table {
  const length = columns.id.length;
  const vectorType = schema.fields.find((field) => field.name === 'vector')!.type as FixedSizeList<Float32>;
  const vectorData = makeData({
    type: vectorType,
    length,
    nullCount: 0,
    child: makeData({ type: new Float32(), length: columns.vectors.length, data: columns.vectors }),
  });
  const byName = {
    id: vectorFromArray(columns.id, new Utf8()).data[0]!,
    text: vectorFromArray(columns.text, new Utf8()).data[0]!,
    source: vectorFromArray(columns.source, new Utf8()).data[0]!,
    chunk: vectorFromArray(columns.chunk, new Int32()).data[0]!,
    heading: vectorFromArray(columns.heading, new Utf8()).data[0]!,
    vector: vectorData,
  };
  const children = schema.fields.map((field) => byName[field.name as keyof typeof byName]);
  const data = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, data)]);
}
