import type { DatasetSource } from '../../dataset-source.js';
import type { Partition, PartitionFile } from '../../partition.js';
import { PARTITION_FOOTER, partitionHeader, renumberSpectrum } from './mzml-header.js';
import type { MzmlPartitionMeta } from './mzml-plan.js';
import { spectrumElements } from './spectrum-elements.js';

/**
 * A plain mzML file with the partition's spectra: the original header (without the indexedmzML
 * wrapper, spectrum list count updated), the spectrum elements verbatim (renumbered from 0), and
 * the closing tags; chromatograms and the offset index are left out.
 */
export async function mzmlToFile(partition: Partition, source: DatasetSource): Promise<PartitionFile[]> {
  const meta = partition.meta as MzmlPartitionMeta;
  const parts = [partitionHeader(await source.read(source.key, 0, meta.headerLength), meta.take)];
  const [range] = partition.ranges;
  if (range) {
    let position = 0;
    for await (const element of spectrumElements(source, range.offset, range.length, meta.skip, meta.take)) {
      parts.push(renumberSpectrum(element.bytes.toString('latin1'), position++), '\n');
    }
  }
  parts.push(PARTITION_FOOTER);
  const name = `part-${String(partition.index).padStart(5, '0')}.mzML`;
  return [{ name, data: Buffer.from(parts.join(''), 'latin1') }];
}
