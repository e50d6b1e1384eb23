import type { VirtualOffset } from '../../codecs/bgzf.js';
import { bgzfBlocks } from '../../codecs/bgzf-blocks.js';
import type { DatasetSource } from '../../dataset-source.js';

/** Decoded (inflated) bytes of a genomic file, with the position of their first byte. */
export interface DecodedPiece {
  data: Uint8Array;
  /** Position of `data[0]`: a virtual offset in BGZF data, `{ block: byte, within: 0 }` in plain data. */
  start: VirtualOffset;
  /** Compressed offset just after the piece's block (plain data: after the piece). */
  blockEnd: number;
}

/** Where to read decoded bytes from: a byte range of an object, plain or BGZF, starting at `from`. */
export interface PieceSpan {
  key: string;
  compressed: boolean;
  /** Where decoding starts (a block start plus the bytes to drop from its inflated data). */
  from: VirtualOffset;
  /** Compressed bytes to stream from `from.block`; the rest of the object when omitted. */
  length?: number;
  /** The span is the whole object (BGZF: check the EOF block and trailing bytes). */
  wholeObject?: boolean;
}

/** Streams the decoded bytes of a span (BGZF blocks inflated one at a time), skipping EOF blocks. */
export async function* decodedPieces(source: DatasetSource, span: PieceSpan): AsyncIterable<DecodedPiece> {
  const chunks = source.stream(span.key, span.from.block, span.length);
  if (!span.compressed) {
    let offset = span.from.block;
    for await (const data of chunks) {
      yield { data, start: { block: offset, within: 0 }, blockEnd: offset + data.length };
      offset += data.length;
    }
    return;
  }
  const blocks = bgzfBlocks(chunks, span.key, { offset: span.from.block, wholeObject: span.wholeObject });
  for await (const block of blocks) {
    const within = block.offset === span.from.block ? span.from.within : 0;
    if (block.data.length <= within) continue;
    yield {
      data: block.data.subarray(within),
      start: { block: block.offset, within },
      blockEnd: block.offset + block.size,
    };
  }
}
