// The functions the partition benchmark runs on the faas local pool: the pipeline (count the records
// of a partition, or of a stand-alone piece) and the raw baseline (read bytes, parse nothing).

import type { Partition } from '@isthmus/partition';
import { openDataset, read } from '@isthmus/partition';
import { openStore } from '@isthmus/storage';

export { countRecords, total } from '@isthmus/partition/functions';

/** Reads a byte range (or the whole object) of `storeUrl`/`key` and returns how many bytes came. */
export async function rawRead(input: {
  storeUrl: string;
  key: string;
  offset?: number;
  length?: number;
}): Promise<number> {
  const store = openStore(input.storeUrl);
  try {
    const range = input.offset === undefined ? undefined : { offset: input.offset, length: input.length };
    let bytes = 0;
    for await (const chunk of await store.getStream(input.key, { range }))
      bytes += (chunk as Uint8Array).length;
    return bytes;
  } finally {
    await store.close();
  }
}

/** Counts the records of a stand-alone piece written by static partitioning (indexed where it is read). */
export async function countPiece(url: string): Promise<number> {
  const dataset = await openDataset(url, { readOnly: true });
  try {
    const [whole] = (await dataset.partition({ by: 'count', count: 1 })) as [Partition];
    let count = 0;
    for await (const _ of read(whole, { store: dataset.store })) count++;
    return count;
  } finally {
    await dataset.close();
  }
}
