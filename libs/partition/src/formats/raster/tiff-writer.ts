import { FIELD_TYPE, FIELD_TYPE_SIZE, TAG } from './tiff-tags.js';

/** A field to write: SHORT, LONG and DOUBLE values as numbers, ASCII as a string. */
export interface TiffFieldToWrite {
  tag: number;
  type: typeof FIELD_TYPE.SHORT | typeof FIELD_TYPE.LONG | typeof FIELD_TYPE.DOUBLE | typeof FIELD_TYPE.ASCII;
  values: number[] | string;
}

/** An uncompressed, interleaved image to write as a TIFF. */
export interface TiffImageToWrite {
  width: number;
  height: number;
  samples: number;
  bitsPerSample: number;
  sampleFormat: number;
  photometric: number;
  extraSamples: number[];
  /** The samples, pixel-interleaved, row-major, little-endian. */
  pixels: Uint8Array;
  /** More fields (GeoTIFF tags, GDAL no-data). */
  fields: TiffFieldToWrite[];
}

/** Rows per strip aim at strips of about this many bytes. */
const STRIP_BYTES = 256 * 1024;
const UINT32_LIMIT = 2 ** 32;

/**
 * A classic little-endian TIFF of one uncompressed, stripped, interleaved image: header, pixels,
 * then the IFD and the values it points to.
 */
export function writeTiff(image: TiffImageToWrite): Uint8Array {
  const rowBytes = (image.width * image.samples * image.bitsPerSample) / 8;
  const rowsPerStrip = Math.max(1, Math.min(image.height, Math.floor(STRIP_BYTES / rowBytes)));
  const strips = Math.ceil(image.height / rowsPerStrip);
  const stripOffsets: number[] = [];
  const stripByteCounts: number[] = [];
  for (let strip = 0; strip < strips; strip++) {
    stripOffsets.push(8 + strip * rowsPerStrip * rowBytes);
    stripByteCounts.push(Math.min(rowsPerStrip, image.height - strip * rowsPerStrip) * rowBytes);
  }
  const perSample = (value: number) => new Array<number>(image.samples).fill(value);
  const fields: TiffFieldToWrite[] = [
    { tag: TAG.ImageWidth, type: FIELD_TYPE.LONG, values: [image.width] },
    { tag: TAG.ImageLength, type: FIELD_TYPE.LONG, values: [image.height] },
    { tag: TAG.BitsPerSample, type: FIELD_TYPE.SHORT, values: perSample(image.bitsPerSample) },
    { tag: TAG.Compression, type: FIELD_TYPE.SHORT, values: [1] },
    { tag: TAG.PhotometricInterpretation, type: FIELD_TYPE.SHORT, values: [image.photometric] },
    { tag: TAG.StripOffsets, type: FIELD_TYPE.LONG, values: stripOffsets },
    { tag: TAG.SamplesPerPixel, type: FIELD_TYPE.SHORT, values: [image.samples] },
    { tag: TAG.RowsPerStrip, type: FIELD_TYPE.LONG, values: [rowsPerStrip] },
    { tag: TAG.StripByteCounts, type: FIELD_TYPE.LONG, values: stripByteCounts },
    { tag: TAG.PlanarConfiguration, type: FIELD_TYPE.SHORT, values: [1] },
    ...(image.extraSamples.length > 0
      ? [{ tag: TAG.ExtraSamples, type: FIELD_TYPE.SHORT, values: image.extraSamples } as const]
      : []),
    { tag: TAG.SampleFormat, type: FIELD_TYPE.SHORT, values: perSample(image.sampleFormat) },
    ...image.fields,
  ].sort((a, b) => a.tag - b.tag);

  const ifdOffset = even(8 + image.pixels.length);
  const entriesEnd = ifdOffset + 2 + fields.length * 12 + 4;
  const encoded = fields.map(encodeValues);
  let valueOffset = entriesEnd;
  const valueOffsets = encoded.map((bytes) => {
    if (bytes.length <= 4) return 0;
    const at = valueOffset;
    valueOffset = even(valueOffset + bytes.length);
    return at;
  });
  if (valueOffset >= UINT32_LIMIT) throw new RangeError(`a ${valueOffset}-byte TIFF needs BigTIFF`);

  const file = new Uint8Array(valueOffset);
  const view = new DataView(file.buffer);
  file.set([0x49, 0x49, 42, 0]);
  view.setUint32(4, ifdOffset, true);
  file.set(image.pixels, 8);
  view.setUint16(ifdOffset, fields.length, true);
  fields.forEach((field, i) => {
    const at = ifdOffset + 2 + i * 12;
    const bytes = encoded[i]!;
    view.setUint16(at, field.tag, true);
    view.setUint16(at + 2, field.type, true);
    view.setUint32(at + 4, bytes.length / FIELD_TYPE_SIZE[field.type]!, true);
    if (bytes.length <= 4) file.set(bytes, at + 8);
    else {
      view.setUint32(at + 8, valueOffsets[i]!, true);
      file.set(bytes, valueOffsets[i]!);
    }
  });
  view.setUint32(ifdOffset + 2 + fields.length * 12, 0, true);
  return file;
}

function even(offset: number): number {
  return offset + (offset % 2);
}

function encodeValues(field: TiffFieldToWrite): Uint8Array {
  if (typeof field.values === 'string') return new Uint8Array(Buffer.from(`${field.values}\0`, 'latin1'));
  const size = FIELD_TYPE_SIZE[field.type]!;
  const bytes = new Uint8Array(field.values.length * size);
  const view = new DataView(bytes.buffer);
  field.values.forEach((value, i) => {
    if (field.type === FIELD_TYPE.SHORT) view.setUint16(i * size, value, true);
    else if (field.type === FIELD_TYPE.LONG) view.setUint32(i * size, value, true);
    else view.setFloat64(i * size, value, true);
  });
  return bytes;
}
