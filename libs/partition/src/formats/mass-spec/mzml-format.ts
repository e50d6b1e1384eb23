import type { FormatHandler } from '../../format-handler.js';
import { GENERIC_STRATEGIES } from '../../generic-strategies.js';
import type { GenericStrategy } from '../../strategy.js';
import { indexMzml, type MzmlIndex } from './mzml-index.js';
import { type MzmlPartitionMeta, planMzml } from './mzml-plan.js';
import { decodeSpectrum, type Spectrum } from './mzml-spectrum.js';
import { mzmlToFile } from './mzml-to-file.js';
import { type SpectraStrategy, spectraStrategy } from './spectra-strategy.js';
import { peakBatch } from './spectrum-batch.js';
import { spectrumElements } from './spectrum-elements.js';
import { isImzml, rootElement } from './xml-root.js';

/** Spectra per Arrow batch. */
const BATCH_SPECTRA = 64;

function spectrumBatch(spectra: Spectrum[]) {
  return peakBatch(spectra, {
    id: { type: 'utf8', value: (spectrum) => spectrum.id },
    index: { type: 'int32', value: (spectrum) => spectrum.index },
    msLevel: { type: 'int32', value: (spectrum) => spectrum.msLevel ?? null },
    scanStartTime: { type: 'float64', value: (spectrum) => spectrum.scanStartTime ?? null },
  });
}

async function* readSpectra(
  partition: Parameters<FormatHandler['read']>[0],
  source: Parameters<FormatHandler['read']>[1],
): AsyncIterable<Spectrum> {
  const meta = partition.meta as MzmlPartitionMeta;
  const [range] = partition.ranges;
  if (!range) return;
  let position = meta.first;
  for await (const element of spectrumElements(source, range.offset, range.length, meta.skip, meta.take)) {
    yield decodeSpectrum(element.bytes, position++, meta.paramGroups, {
      key: source.key,
      offset: element.start,
    });
  }
}

/**
 * mzML (plain or indexedmzML; not imzML): a record is a spectrum with decoded m/z and intensity
 * arrays. The index pass streams the XML once for the spectra's byte offsets (checking an
 * indexedmzML offset index against them); partitions are byte ranges of consecutive spectra.
 */
export const mzmlFormat: FormatHandler<MzmlIndex, Spectrum, GenericStrategy | SpectraStrategy> = {
  name: 'mzml',
  family: 'mass-spec',
  description: 'mzML mass spectra (plain or indexed); a record is a spectrum',
  indexVersion: 1,
  strategies: [...GENERIC_STRATEGIES, spectraStrategy],
  detect(probe) {
    const root = rootElement(probe.head);
    return (root === 'mzML' || root === 'indexedmzML') && !isImzml(probe.key, probe.head);
  },
  index: indexMzml,
  summarize(index) {
    return {
      records: index.records,
      unit: 'spectra',
      bytes: index.end - index.start,
      details: { indexed: index.root === 'indexedmzML' },
    };
  },
  plan: planMzml,
  read: readSpectra,
  async *readBatches(partition, source) {
    let spectra: Spectrum[] = [];
    for await (const spectrum of readSpectra(partition, source)) {
      spectra.push(spectrum);
      if (spectra.length === BATCH_SPECTRA) {
        yield spectrumBatch(spectra);
        spectra = [];
      }
    }
    if (spectra.length > 0) yield spectrumBatch(spectra);
  },
  toFile: mzmlToFile,
};
