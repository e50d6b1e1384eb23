import type { DatasetSource } from '../../dataset-source.js';
import {
  CorruptDataError,
  InconsistentDataError,
  MissingPartError,
  PairMismatchError,
  TruncatedDataError,
} from '../../errors.js';
import { type ArrayEncoding, arrayEncoding } from './binary-array.js';
import { CV, type CvParams } from './cv-params.js';
import { type ScannedSpectrum, scanSpectrumList } from './spectrum-list-scan.js';
import { attribute, XmlTagScanner } from './xml-tags.js';

/** Where one array of a pixel lies in the .ibd: offset, number of values, bytes. */
export type ExternalArray = [offset: number, length: number, bytes: number];

/** A pixel as the index holds it: position and its arrays in the .ibd. */
export type PixelEntry = [x: number, y: number, ...mz: ExternalArray, ...intensity: ExternalArray];

/**
 * The index of an imzML + .ibd pair: the storage mode, the UUID both carry, the arrays'
 * encodings, and every pixel's position and .ibd offsets (the imzML's own per-pixel table, which
 * partitions need to fetch only their pixels' bytes).
 */
export type ImzmlIndex = {
  key: string;
  ibdKey: string;
  mode: 'continuous' | 'processed';
  uuid: string;
  headerLength: number;
  ibdSize: number;
  mzEncoding: ArrayEncoding;
  intensityEncoding: ArrayEncoding;
  pixels: PixelEntry[];
};

/** The .ibd beside an imzML: same basename; `MissingPartError` when there is none. */
async function ibdOf(source: DatasetSource): Promise<string> {
  const base = source.key.replace(/\.imzml$/i, '');
  for (const candidate of [`${base}.ibd`, `${base}.IBD`])
    if (await source.exists(candidate)) return candidate;
  throw new MissingPartError({ key: `${base}.ibd` }, `the binary data of ${source.key} does not exist`);
}

/** A header cvParam's value (or `''` for a flag), undefined when absent. */
function headerParams(header: Uint8Array): CvParams {
  const params: CvParams = new Map();
  for (const tag of new XmlTagScanner(new Set(['cvParam'])).push(header)) {
    params.set(attribute(tag.text, 'accession') ?? '', attribute(tag.text, 'value') ?? '');
  }
  return params;
}

function externalArray(params: CvParams, spectrum: ScannedSpectrum, key: string): ExternalArray {
  const values = [CV.externalOffset, CV.externalArrayLength, CV.externalEncodedLength].map((accession) =>
    Number(params.get(accession)),
  );
  if (!values.every(Number.isSafeInteger)) {
    throw new CorruptDataError(
      { key, offset: spectrum.start },
      `pixel ${spectrum.position} lacks an external offset, array length or encoded length`,
    );
  }
  return values as ExternalArray;
}

function sameEncoding(a: ArrayEncoding, b: ArrayEncoding): boolean {
  return a.type === b.type && a.zlib === b.zlib;
}

/** The index pass: the imzML streamed once, the .ibd's UUID and size checked against it. */
export async function indexImzml(source: DatasetSource): Promise<ImzmlIndex> {
  const key = source.key;
  const ibdKey = await ibdOf(source);
  const pixels: PixelEntry[] = [];
  const encodings: { mz?: ArrayEncoding; intensity?: ArrayEncoding } = {};
  const scan = await scanSpectrumList(
    source,
    (spectrum) => {
      const location = { key, offset: spectrum.start };
      const mzParams = spectrum.arrays!.find((a) => a.has(CV.mzArray));
      const intensityParams = spectrum.arrays!.find((a) => a.has(CV.intensityArray));
      if (!mzParams || !intensityParams) {
        throw new CorruptDataError(location, `pixel ${spectrum.position} lacks an m/z or intensity array`);
      }
      const arrays = { mz: mzParams, intensity: intensityParams };
      for (const name of ['mz', 'intensity'] as const) {
        const encoding = arrayEncoding(arrays[name], location);
        encodings[name] ??= encoding;
        if (!sameEncoding(encoding, encodings[name])) {
          throw new CorruptDataError(
            location,
            `pixel ${spectrum.position}'s ${name} array is encoded unlike the first`,
          );
        }
      }
      const x = Number(spectrum.params!.get(CV.positionX));
      const y = Number(spectrum.params!.get(CV.positionY));
      if (!Number.isSafeInteger(x) || !Number.isSafeInteger(y)) {
        throw new CorruptDataError(location, `pixel ${spectrum.position} has no position x/y`);
      }
      pixels.push([
        x,
        y,
        ...externalArray(arrays.mz, spectrum, key),
        ...externalArray(arrays.intensity, spectrum, key),
      ]);
    },
    { withParams: true },
  );
  const params = headerParams(scan.header);
  const uuid = (params.get(CV.uuid) ?? '').replace(/[{}-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(uuid))
    throw new CorruptDataError({ key }, 'no universally unique identifier (IMS:1000080)');
  const mode = params.has(CV.continuous) ? 'continuous' : params.has(CV.processed) ? 'processed' : undefined;
  if (!mode)
    throw new CorruptDataError({ key }, 'neither continuous (IMS:1000030) nor processed (IMS:1000031)');
  const ibdSize = (await source.head(ibdKey)).size;
  const ibdUuid = Buffer.from(await source.read(ibdKey, 0, 16)).toString('hex');
  if (ibdUuid !== uuid) {
    throw new PairMismatchError(
      { key: ibdKey, offset: 0 },
      `its UUID ${ibdUuid} is not ${key}'s ${uuid}: the two files do not belong together`,
    );
  }
  for (const [i, pixel] of pixels.entries()) {
    for (const [offset, , bytes] of [pixel.slice(2, 5), pixel.slice(5, 8)] as ExternalArray[]) {
      if (offset < 16 || offset + bytes > ibdSize) {
        throw new TruncatedDataError(
          { key: ibdKey, offset: ibdSize },
          `pixel ${i} of ${key} has data at bytes ${offset}–${offset + bytes}, the .ibd holds ${ibdSize}`,
        );
      }
    }
    if (mode === 'continuous' && (pixel[2] !== pixels[0]![2] || pixel[4] !== pixels[0]![4])) {
      throw new InconsistentDataError({ key }, `continuous mode, but pixel ${i} has its own m/z array`);
    }
  }
  return {
    key,
    ibdKey,
    mode,
    uuid,
    headerLength: scan.header.length,
    ibdSize,
    mzEncoding: encodings.mz ?? { type: 'float32', zlib: false },
    intensityEncoding: encodings.intensity ?? { type: 'float32', zlib: false },
    pixels,
  };
}
