import type { IndexSummary } from '../../format-handler.js';
import type { LasLayout } from './las-header.js';

/**
 * A run of points the index knows where to find: raw LAS records, one LAZ chunk, or one COPC
 * node (each chunk decodes on its own). `bounds` (`[minX, minY, maxX, maxY]`) encloses its
 * points when known (LAS: measured by the index pass; COPC: the node's cube).
 */
export type PointBlock = {
  offset: number;
  length: number;
  points: number;
  /** Position of its first point among all points, in file order. */
  firstPoint: number;
  bounds?: number[];
};

/** The index of a LAS, LAZ or COPC file: its header and its blocks in file order. */
export type PointCloudIndex = {
  /** The data object's key (partitions' ranges name it). */
  key: string;
  layout: LasLayout;
  blocks: PointBlock[];
};

/** The numbers of a point-cloud index. */
export function summarizePointCloud(index: PointCloudIndex): IndexSummary {
  const { layout, blocks } = index;
  return {
    records: layout.pointCount,
    unit: 'points',
    bytes: blocks.reduce((total, block) => total + block.length, 0),
    details: {
      version: `1.${layout.versionMinor}`,
      pointFormat: layout.pointFormat,
      bounds: layout.bounds,
      blocks: blocks.length,
    },
  };
}
