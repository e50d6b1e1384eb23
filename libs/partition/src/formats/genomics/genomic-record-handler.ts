import type { RecordBatch } from 'apache-arrow';
import { compressBgzf } from '../../codecs/bgzf.js';
import type { DatasetSource } from '../../dataset-source.js';
import { CorruptDataError } from '../../errors.js';
import type { FormatHandler, IndexSummary } from '../../format-handler.js';
import { GENERIC_STRATEGIES } from '../../generic-strategies.js';
import type { Partition, PartitionFile } from '../../partition.js';
import type { GenericStrategy } from '../../strategy.js';
import { recordBatches } from './arrow-columns.js';
import { type GenomicIndex, indexGenomicRecords } from './genomic-index.js';
import { type GenomicPartitionMeta, planGenomic } from './genomic-plan.js';
import type { GenomicHeader, GenomicRecordSpec } from './genomic-record-spec.js';
import { partitionRecordBytes, readPartitionHeader } from './genomic-scan.js';
import { type RegionStrategy, regionStrategy } from './region-strategy.js';

/** A strategy of SAM, BAM and VCF: a generic one or `region`. */
export type GenomicStrategy = GenericStrategy | RegionStrategy;

/** The strategies of SAM, BAM and VCF. */
const GENOMIC_STRATEGIES = [...GENERIC_STRATEGIES, regionStrategy];

/** Bumped when `GenomicIndex` changes. */
const GENOMIC_INDEX_VERSION = 1;

async function* decodedRecords<THeader extends GenomicHeader, TRecord>(
  spec: GenomicRecordSpec<THeader, TRecord>,
  partition: Partition,
  source: DatasetSource,
): AsyncIterable<TRecord> {
  const { header } = await readPartitionHeader(spec, partition, source);
  for await (const frame of partitionRecordBytes(spec, partition, source, header)) {
    let record: TRecord;
    try {
      record = spec.decode(frame.bytes, header as THeader);
    } catch (error) {
      const location = { key: partition.dataset.key, offset: frame.start.block };
      throw new CorruptDataError(location, `a record cannot be decoded: ${(error as Error).message}`, {
        cause: error,
      });
    }
    yield record;
  }
}

function summarize(index: GenomicIndex, unit: string): IndexSummary {
  return {
    records: index.records,
    unit,
    bytes: index.dataEnd[0] - index.headerEnd[0],
    details: {
      compressed: index.compressed,
      sorted: index.sorted,
      references: Object.fromEntries(
        index.references.map((reference) => [reference.name, reference.records]),
      ),
      unplaced: index.unplaced.records,
      binningIndex: index.binningIndex,
    },
  };
}

/**
 * The format handler of a record-oriented genomic format (SAM, BAM, VCF): its spec says how
 * records are framed and located; indexing, planning (generic and `region`), reading, Arrow
 * batches and `toFile` (re-blocked into BGZF for compressed input) are the same for all.
 */
export function genomicRecordHandler<THeader extends GenomicHeader, TRecord>(
  spec: GenomicRecordSpec<THeader, TRecord>,
): FormatHandler<GenomicIndex, TRecord, GenomicStrategy> {
  return {
    name: spec.name,
    family: 'genomics',
    description: spec.description,
    indexVersion: GENOMIC_INDEX_VERSION,
    strategies: GENOMIC_STRATEGIES,
    detect: (probe) => spec.detect(probe),
    index: (source) => indexGenomicRecords(spec, source),
    summarize: (index) => summarize(index, spec.unit),
    plan: (index, strategy) => planGenomic(index, strategy),
    read: (partition, source) => decodedRecords(spec, partition, source),
    readBatches: (partition: Partition, source: DatasetSource): AsyncIterable<RecordBatch> =>
      recordBatches(decodedRecords(spec, partition, source), spec.columns),
    async toFile(partition, source): Promise<PartitionFile[]> {
      const meta = partition.meta as GenomicPartitionMeta;
      const { bytes: header, header: parsed } = await readPartitionHeader(spec, partition, source);
      const parts: Uint8Array[] = [header];
      for await (const frame of partitionRecordBytes(spec, partition, source, parsed))
        parts.push(frame.bytes);
      if (spec.textLines && parts.length > 1 && parts.at(-1)!.at(-1) !== 10) parts.push(Uint8Array.of(10));
      const data = Buffer.concat(parts);
      const name = `part-${String(partition.index).padStart(5, '0')}.${spec.extension(meta.compressed)}`;
      return [{ name, data: meta.compressed ? compressBgzf(data) : data }];
    },
  };
}
