import type { RecordBatch } from 'apache-arrow';
import type { DatasetSource } from '../../dataset-source.js';
import type { FormatHandler, FormatProbe } from '../../format-handler.js';
import { GENERIC_STRATEGIES } from '../../generic-strategies.js';
import type { Partition, PartitionFile } from '../../partition.js';
import type { GenericStrategy } from '../../strategy.js';
import {
  type BoundingBoxStrategy,
  bboxStrategy,
  type TilesStrategy,
  tilesStrategy,
} from '../spatial-strategies.js';
import type { LasPoint } from './las-point.js';
import { writePointFile } from './las-writer.js';
import { batchOfRun, pointsOfRun } from './point-batches.js';
import { type PointCloudIndex, summarizePointCloud } from './point-cloud-index.js';
import { planPointCloud, pointMeta } from './point-plan.js';
import { type PointRun, readPointRuns } from './point-reader.js';

/** What tells the LAS, LAZ and COPC handlers apart: detection and the index pass. */
export interface PointCloudFormatSpec {
  name: string;
  description: string;
  indexVersion: number;
  detect(probe: FormatProbe): boolean;
  index(source: DatasetSource): Promise<PointCloudIndex>;
}

const STRATEGIES = [...GENERIC_STRATEGIES, tilesStrategy, bboxStrategy];

/** The bytes before the point data: the header and its VLRs. */
export function readHeaderArea(source: DatasetSource, pointDataOffset: number): Promise<Uint8Array> {
  return source.read(source.key, 0, pointDataOffset);
}

/**
 * A point-cloud format handler: planning, reading (records, Arrow batches) and `toFile` are the
 * same for LAS, LAZ and COPC, whose indexes all list blocks of points.
 */
export function pointCloudHandler(
  format: PointCloudFormatSpec,
): FormatHandler<PointCloudIndex, LasPoint, GenericStrategy | TilesStrategy | BoundingBoxStrategy> {
  return {
    name: format.name,
    family: 'point-cloud',
    description: format.description,
    indexVersion: format.indexVersion,
    strategies: STRATEGIES,
    detect: format.detect,
    index: format.index,
    summarize: summarizePointCloud,
    plan: (index, strategy) => planPointCloud(index, strategy),
    async *read(partition: Partition, source: DatasetSource): AsyncIterable<LasPoint> {
      const { layout } = pointMeta(partition);
      for await (const run of readPointRuns(partition, source)) yield* pointsOfRun(run, layout);
    },
    async *readBatches(partition: Partition, source: DatasetSource): AsyncIterable<RecordBatch> {
      const { layout } = pointMeta(partition);
      for await (const run of readPointRuns(partition, source))
        if (run.count > 0) yield batchOfRun(run, layout);
    },
    async toFile(partition: Partition, source: DatasetSource): Promise<PartitionFile[]> {
      const { layout } = pointMeta(partition);
      const headerArea = await readHeaderArea(source, layout.pointDataOffset);
      const runs: PointRun[] = [];
      for await (const run of readPointRuns(partition, source)) runs.push(run);
      const { data, compressed } = writePointFile(headerArea, layout, runs, source.key);
      const name = `part-${String(partition.index).padStart(5, '0')}.${compressed ? 'laz' : 'las'}`;
      return [{ name, data }];
    },
  };
}
