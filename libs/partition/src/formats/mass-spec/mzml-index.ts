import type { DatasetSource } from '../../dataset-source.js';
import type { ParamGroups } from './cv-params.js';
import { scanSpectrumList } from './spectrum-list-scan.js';

/** Spacing of the index's checkpoints (a spectrum start at least this far after the previous one). */
export const CHECKPOINT_BYTES = 1024 * 1024;

/**
 * The index of an mzML file: where its spectra lie (a `RecordLayout`: count, span, checkpoints
 * every ~1 MiB) and what a partition file needs around them.
 */
export type MzmlIndex = {
  /** The mzML object's key. */
  key: string;
  /** `indexedmzML` or `mzML`. */
  root: string;
  /** Bytes before the first spectrum (the header a partition file starts with). */
  headerLength: number;
  /** Where `</spectrumList>` starts. */
  spectrumListEnd: number;
  records: number;
  start: number;
  end: number;
  checkpoints: Array<{ record: number; byte: number }>;
  /** The header's `referenceableParamGroup`s, which spectra may refer to. */
  paramGroups: ParamGroups;
};

/** The index pass: one streamed scan of the document (see `scanSpectrumList`). */
export async function indexMzml(source: DatasetSource): Promise<MzmlIndex> {
  const checkpoints: MzmlIndex['checkpoints'] = [];
  let end = 0;
  const scan = await scanSpectrumList(source, (spectrum) => {
    const last = checkpoints.at(-1);
    if (!last || spectrum.start - last.byte >= CHECKPOINT_BYTES) {
      checkpoints.push({ record: spectrum.position, byte: spectrum.start });
    }
    end = spectrum.end;
  });
  const start = checkpoints[0]?.byte ?? scan.header.length;
  return {
    key: source.key,
    root: scan.root,
    headerLength: scan.header.length,
    spectrumListEnd: scan.spectrumListEnd,
    records: scan.spectra,
    start,
    end: Math.max(start, end),
    checkpoints,
    paramGroups: scan.paramGroups,
  };
}
