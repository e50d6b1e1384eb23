import type { DatasetSource } from '../../dataset-source.js';
import type { PartitionRange } from '../../partition.js';

/** Ranges fetched ahead of the one being read, so a partition's reads overlap. */
const READ_AHEAD = 8;

/**
 * Fetches a partition's ranges in order, a few ahead of the reader, keeping only those not yet
 * passed (memory stays bounded by a few ranges).
 */
export class RangeFetcher {
  readonly #pending = new Map<number, Promise<Uint8Array>>();

  constructor(
    private readonly source: DatasetSource,
    private readonly ranges: readonly PartitionRange[],
  ) {}

  /** The bytes of range `position` (the reader moves forward through the ranges). */
  bytes(position: number): Promise<Uint8Array> {
    for (const fetched of this.#pending.keys()) if (fetched < position) this.#pending.delete(fetched);
    for (let ahead = position; ahead < Math.min(this.ranges.length, position + READ_AHEAD); ahead++) {
      if (this.#pending.has(ahead)) continue;
      const { key, offset, length } = this.ranges[ahead]!;
      const bytes = this.source.read(key, offset, length);
      // Failures of ranges read ahead surface when the reader gets to them.
      bytes.catch(() => {});
      this.#pending.set(ahead, bytes);
    }
    return this.#pending.get(position)!;
  }
}
