import type { FormatHandler } from '../../format-handler.js';
import { GENERIC_STRATEGIES } from '../../generic-strategies.js';
import type { JsonObject } from '../../json.js';
import type { GenericStrategy } from '../../strategy.js';
import { readZarrBatches } from './chunk-batches.js';
import { type ChunksStrategy, chunksStrategy } from './chunks-strategy.js';
import { indexZarrStore, type ZarrIndex, zarrFormatOf } from './zarr-index.js';
import { chunkCount, indexLayouts, planZarr } from './zarr-plan.js';
import { readZarrPartition, type ZarrChunk } from './zarr-read.js';
import { zarrPartitionFiles } from './zarr-to-file.js';

/** The metadata objects that make a directory a Zarr store at its root. */
const ROOT_METADATA = ['.zgroup', '.zarray', 'zarr.json'];

/**
 * Zarr v2 and v3 stores (a directory or key prefix): records are chunks (inner chunks of sharded
 * arrays) of every array, array after array in key order, each in C order of its chunk grid.
 */
export const zarrFormat: FormatHandler<ZarrIndex, ZarrChunk, GenericStrategy | ChunksStrategy> = {
  name: 'zarr',
  family: 'array',
  description: 'Zarr v2/v3 store (directory of chunk objects); records are chunks',
  indexVersion: 1,
  strategies: [...GENERIC_STRATEGIES, chunksStrategy],
  detect: ({ key, children }) =>
    children !== undefined &&
    (children.some((name) => ROOT_METADATA.includes(name)) ||
      (/\.zarr$/i.test(key) && zarrFormatOf(children) !== undefined)),
  index: indexZarrStore,
  summarize(index) {
    const layouts = indexLayouts(index);
    const arrays: JsonObject = {};
    let bytes = 0;
    index.arrays.forEach((entry, i) => {
      const stored = entry.sizes.filter((size) => size >= 0);
      bytes += stored.reduce((total, size) => total + size, 0);
      arrays[entry.path || '/'] = {
        shape: layouts[i]!.shape,
        chunks: layouts[i]!.chunkShape,
        dtype: entry.document.dtype ?? entry.document.data_type ?? null,
        storedChunks: stored.length,
        sharded: layouts[i]!.sharding !== undefined,
      };
    });
    return {
      records: chunkCount(index),
      unit: 'chunks',
      bytes,
      details: { zarrFormat: index.zarrFormat, arrays, attributes: index.attributes },
    };
  },
  plan: planZarr,
  read: readZarrPartition,
  readBatches: readZarrBatches,
  toFile: zarrPartitionFiles,
};
