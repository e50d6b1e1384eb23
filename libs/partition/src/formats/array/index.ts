// @isthmus/partition/array: Zarr v2 and v3 stores. Loaded by the core on first use; importing it
// registers the format, and gives its record and strategy types.
import { registerFormat } from '../../format-registry.js';
import { zarrFormat } from './zarr-format.js';

registerFormat(zarrFormat);

export { type ChunksStrategy, chunksStrategy } from './chunks-strategy.js';
export type { ZarrChunk } from './zarr-read.js';
