// Test helper: zarrita reading a Zarr store straight from a local directory (its own sharding
// reader, its own selection code): the reference for v3 stores, which Python zarr 2.13 cannot read.
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as zarr from 'zarrita';
import type { Selection } from '../../../src/formats/array/chunk-grid.js';
import type { NumericArray } from '../../../src/formats/array/clip-chunk.js';

async function readMissing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A read-only zarrita store over a local directory, with ranged reads (sharding needs them). */
function directoryStore(dir: string): zarr.AsyncReadable {
  return {
    get: (key) => readMissing(async () => new Uint8Array(await readFile(join(dir, key)))),
    getRange: (key, range) =>
      readMissing(async () => {
        const file = await open(join(dir, key));
        try {
          const { size } = await file.stat();
          const [offset, length] =
            'suffixLength' in range
              ? [size - range.suffixLength, range.suffixLength]
              : [range.offset, range.length];
          const bytes = new Uint8Array(length);
          await file.read(bytes, 0, length, offset);
          return bytes;
        } finally {
          await file.close();
        }
      }),
  };
}

/** A reader of regions (values in C order) of the array at `path` of the store in `dir`, by zarrita. */
export async function zarritaRegions(
  dir: string,
  path: string,
): Promise<(selection: Selection) => Promise<NumericArray>> {
  const array = await zarr.open(zarr.root(directoryStore(dir)).resolve(path || '/'), { kind: 'array' });
  return async (selection) => {
    const region = await zarr.get(
      array,
      selection.map(([start, end]) => zarr.slice(start, end)),
    );
    return region.data as NumericArray;
  };
}
