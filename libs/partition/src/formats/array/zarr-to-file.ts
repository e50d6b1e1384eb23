import type { DatasetSource } from '../../dataset-source.js';
import type { JsonObject } from '../../json.js';
import type { Partition, PartitionFile } from '../../partition.js';
import { unshardedChunkKey, unshardedDocument } from './chunk-decoder.js';
import { gridCoordinates } from './chunk-grid.js';
import { RangeFetcher } from './range-fetcher.js';
import type { ZarrPartitionMeta } from './zarr-plan.js';
import { openPartitionArrays } from './zarr-read.js';

const json = (value: JsonObject) => new TextEncoder().encode(JSON.stringify(value, null, 2));

/**
 * A stand-alone Zarr store (of the input's version) holding a partition: for each of its arrays,
 * an array whose shape is the box of elements its chunks cover (chunk-aligned, clipped to the
 * original), holding exactly the partition's chunks, copied byte for byte under keys relative to
 * the box; chunks of the box outside the partition are left out (they read as the fill value).
 * One array is the store's root (`part-00003.zarr/.zarray`); several sit in a root group under
 * their paths. Sharded arrays are written unsharded, with their inner chunks and codecs.
 */
export async function zarrPartitionFiles(
  partition: Partition,
  source: DatasetSource,
): Promise<PartitionFile[]> {
  const { zarrFormat, arrays: metadata, records } = partition.meta as ZarrPartitionMeta;
  const arrays = await openPartitionArrays(partition, source);
  const base = `part-${String(partition.index).padStart(5, '0')}.zarr`;
  const single = arrays.length === 1;
  const files: PartitionFile[] = [];
  if (!single) {
    // The root group and those the arrays are nested in (`a/b` for an array at `a/b/c`).
    const groups = new Set(['']);
    for (const { path } of arrays) {
      const parts = path.split('/');
      for (let depth = 1; depth < parts.length; depth++) groups.add(parts.slice(0, depth).join('/'));
    }
    for (const group of groups) {
      const dir = group ? `${base}/${group}` : base;
      files.push(
        zarrFormat === 2
          ? { name: `${dir}/.zgroup`, data: json({ zarr_format: 2 }) }
          : { name: `${dir}/zarr.json`, data: json({ zarr_format: 3, node_type: 'group', attributes: {} }) },
      );
    }
  }
  const fetcher = new RangeFetcher(source, partition.ranges);
  for (const [position, array] of arrays.entries()) {
    const { layout } = array;
    const own = records.filter(([owner]) => owner === position);
    const chunks = own.map(([, ordinal]) => gridCoordinates(ordinal!, layout.grid));
    const first = layout.shape.map((_, d) =>
      chunks.reduce((low, chunk) => Math.min(low, chunk[d]!), Infinity),
    );
    const last = layout.shape.map((_, d) => chunks.reduce((high, chunk) => Math.max(high, chunk[d]!), -1));
    const shape = layout.shape.map(
      (size, d) => Math.min(size, (last[d]! + 1) * layout.chunkShape[d]!) - first[d]! * layout.chunkShape[d]!,
    );
    const dir = single ? base : `${base}/${array.path}`;
    const { document, attributes } = metadata[position]!;
    if (zarrFormat === 2) {
      files.push({ name: `${dir}/.zarray`, data: json({ ...document, shape }) });
      if (attributes) files.push({ name: `${dir}/.zattrs`, data: json(attributes) });
    } else {
      const unsharded = unshardedDocument(metadata[position]!, layout);
      files.push({ name: `${dir}/zarr.json`, data: json({ ...unsharded, shape }) });
    }
    const chunkKey = unshardedChunkKey(layout);
    for (const [i, [, , range, offset, length]] of own.entries()) {
      if (range === undefined) continue;
      const bytes = (await fetcher.bytes(range)).subarray(offset!, offset! + length!);
      const relative = chunks[i]!.map((c, d) => c - first[d]!);
      files.push({ name: `${dir}/${chunkKey(relative)}`, data: bytes.slice() });
    }
  }
  return files;
}
