import { TrailingDataError, TruncatedDataError } from '../errors.js';
import { bgzfBlockSize, inflateBgzfBlock, isBgzfBlockStart } from './bgzf.js';

/** One inflated BGZF block. */
export interface BgzfBlock {
  /** Compressed offset of the block in its object. */
  offset: number;
  /** Compressed size of the block. */
  size: number;
  /** Its inflated data (empty for the EOF block). */
  data: Uint8Array;
}

/** Options of `bgzfBlocks`. */
export interface BgzfBlocksOptions {
  /** Offset in the object of the first chunk's first byte (a block start). */
  offset?: number;
  /**
   * The chunks are the whole object: it must end with an empty (EOF) block, and bytes after it
   * that are not a block are `TrailingDataError`.
   */
  wholeObject?: boolean;
}

/**
 * Splits streamed bytes into BGZF blocks and inflates each (bounded memory: at most one block
 * and one chunk are held). Cut blocks are `TruncatedDataError`, bad ones `CorruptDataError`, each
 * naming `key` and the block's offset.
 */
export async function* bgzfBlocks(
  chunks: AsyncIterable<Uint8Array>,
  key: string,
  options: BgzfBlocksOptions = {},
): AsyncIterable<BgzfBlock> {
  let offset = options.offset ?? 0;
  // Chunks are gathered until the next block is whole, so tiny chunks cost no repeated copying.
  let parts: Uint8Array[] = [];
  let gathered = 0;
  let needed = 18;
  let pending: Uint8Array = new Uint8Array(0);
  let afterEmptyBlock = false;
  for await (const chunk of chunks) {
    parts.push(chunk);
    gathered += chunk.length;
    if (gathered < needed) continue;
    pending = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    let at = 0;
    for (;;) {
      if (options.wholeObject && afterEmptyBlock && pending.length - at >= 18) {
        if (!isBgzfBlockStart(pending, at)) {
          throw new TrailingDataError({ key, offset }, 'bytes after the BGZF EOF block are not a BGZF block');
        }
      }
      const size = bgzfBlockSize(pending, at, key, offset);
      if (size === undefined || pending.length - at < size) {
        needed = size ?? 18;
        break;
      }
      const data = inflateBgzfBlock(pending.subarray(at, at + size), key, offset);
      yield { offset, size, data };
      afterEmptyBlock = data.length === 0;
      at += size;
      offset += size;
    }
    pending = pending.subarray(at);
    parts = [pending];
    gathered = pending.length;
  }
  pending = Buffer.concat(parts);
  if (pending.length > 0) {
    if (options.wholeObject && afterEmptyBlock && !isBgzfBlockStart(pending)) {
      throw new TrailingDataError({ key, offset }, `${pending.length} bytes follow the BGZF EOF block`);
    }
    throw new TruncatedDataError(
      { key, offset },
      `the data ends inside a BGZF block (${pending.length} bytes)`,
    );
  }
  if (options.wholeObject && !afterEmptyBlock) {
    throw new TruncatedDataError({ key, offset }, 'the BGZF data does not end with the EOF block');
  }
}
