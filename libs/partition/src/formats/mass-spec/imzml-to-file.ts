import { randomUUID } from 'node:crypto';
import type { DatasetSource } from '../../dataset-source.js';
import type { Partition, PartitionFile } from '../../partition.js';
import type { ArrayEncoding } from './binary-array.js';
import { CV } from './cv-params.js';
import { storedPixels } from './imzml-pixels.js';
import type { ImzmlPartitionMeta } from './imzml-plan.js';
import { PARTITION_FOOTER, partitionHeader } from './mzml-header.js';

const TYPE_PARAMS: Record<ArrayEncoding['type'], [string, string]> = {
  float32: [CV.float32, '32-bit float'],
  float64: [CV.float64, '64-bit float'],
  int32: [CV.int32, '32-bit integer'],
  int64: [CV.int64, '64-bit integer'],
};

function cvParam(cvRef: string, accession: string, name: string, value = ''): string {
  return `<cvParam cvRef="${cvRef}" accession="${accession}" name="${name}" value="${value}"/>`;
}

function arrayXml(
  kind: 'mz' | 'intensity',
  encoding: ArrayEncoding,
  offset: number,
  length: number,
  bytes: number,
): string {
  const [typeAccession, typeName] = TYPE_PARAMS[encoding.type];
  return [
    '<binaryDataArray encodedLength="0">',
    kind === 'mz'
      ? cvParam('MS', CV.mzArray, 'm/z array')
      : cvParam('MS', CV.intensityArray, 'intensity array'),
    cvParam('MS', typeAccession, typeName),
    encoding.zlib
      ? cvParam('MS', CV.zlib, 'zlib compression')
      : cvParam('MS', CV.noCompression, 'no compression'),
    cvParam('IMS', 'IMS:1000101', 'external data', 'true'),
    cvParam('IMS', CV.externalArrayLength, 'external array length', String(length)),
    cvParam('IMS', CV.externalOffset, 'external offset', String(offset)),
    cvParam('IMS', CV.externalEncodedLength, 'external encoded length', String(bytes)),
    '<binary/></binaryDataArray>',
  ].join('');
}

/**
 * An imzML + .ibd pair holding the partition's pixels, in the dataset's mode: the original header
 * (spectrum count updated, a fresh UUID, the .ibd checksum dropped since it no longer holds), one
 * generated spectrum element per pixel (position, arrays' encoding and recomputed offsets), and
 * a new .ibd: the UUID, then the arrays' stored bytes (the shared m/z array once in continuous mode).
 */
export async function imzmlToFile(partition: Partition, source: DatasetSource): Promise<PartitionFile[]> {
  const meta = partition.meta as ImzmlPartitionMeta;
  const uuid = randomUUID().replaceAll('-', '');
  const ibd: Uint8Array[] = [Buffer.from(uuid, 'hex')];
  let size = 16;
  const append = (bytes: Uint8Array): number => {
    ibd.push(bytes);
    size += bytes.length;
    return size - bytes.length;
  };
  let mzOffset = 0;
  const spectra: string[] = [];
  for await (const pixel of storedPixels(partition, source)) {
    // Continuous mode stores the shared m/z array once, before the first pixel's intensities.
    if (meta.mode === 'processed' || spectra.length === 0) mzOffset = append(pixel.mzBytes);
    const intensityOffset = append(pixel.intensityBytes);
    const position = spectra.length;
    spectra.push(
      `      <spectrum id="pixel=${position + 1}" defaultArrayLength="0" index="${position}">` +
        '<scanList count="1"><scan>' +
        cvParam('IMS', CV.positionX, 'position x', String(pixel.x)) +
        cvParam('IMS', CV.positionY, 'position y', String(pixel.y)) +
        '</scan></scanList><binaryDataArrayList count="2">' +
        arrayXml('mz', meta.mzEncoding, mzOffset, pixel.mzLength, pixel.mzBytes.length) +
        arrayXml(
          'intensity',
          meta.intensityEncoding,
          intensityOffset,
          pixel.intensityLength,
          pixel.intensityBytes.length,
        ) +
        '</binaryDataArrayList></spectrum>\n',
    );
  }
  const header = partitionHeader(await source.read(source.key, 0, meta.headerLength), spectra.length)
    .replace(/(accession="IMS:1000080"[^>]*?value=")[^"]*"/, `$1{${uuid.toUpperCase()}}"`)
    .replace(/\s*<cvParam\b[^>]*accession="IMS:100009[01]"[^>]*\/>/g, '');
  const name = `part-${String(partition.index).padStart(5, '0')}`;
  return [
    { name: `${name}.imzML`, data: Buffer.from(`${header}${spectra.join('')}${PARTITION_FOOTER}`, 'latin1') },
    { name: `${name}.ibd`, data: Buffer.concat(ibd) },
  ];
}
