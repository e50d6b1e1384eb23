import { XMLParser } from 'fast-xml-parser';
import { CorruptDataError, type DataLocation } from '../../errors.js';
import { arrayEncoding, asFloat64, decodeArray } from './binary-array.js';
import { CV, children, cvParamsOf, type ParamGroups, type XmlNode } from './cv-params.js';

/** A spectrum of an mzML file, its binary arrays decoded. */
export interface Spectrum {
  id: string;
  /** Position in the file's spectrum list (0-based). */
  index: number;
  /** MS level (MS:1000511), when given. */
  msLevel: number | undefined;
  /** Scan start time (MS:1000016) in seconds, when given. */
  scanStartTime: number | undefined;
  mz: Float64Array;
  intensity: Float32Array | Float64Array;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['cvParam', 'referenceableParamGroupRef', 'binaryDataArray', 'scan'].includes(name),
});

/** Parses one `<spectrum>` element (and only it) with fast-xml-parser. */
export function parseElement(bytes: Uint8Array, name: string, location: DataLocation): XmlNode {
  let node: XmlNode | undefined;
  try {
    node = parser.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8'))[name];
  } catch (error) {
    throw new CorruptDataError(location, `<${name}> is not well-formed XML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!node || typeof node !== 'object') throw new CorruptDataError(location, `no <${name}> element`);
  return node;
}

function binaryText(array: XmlNode): string {
  const binary = array.binary;
  if (typeof binary === 'string') return binary;
  if (binary && typeof binary === 'object') return String((binary as XmlNode)['#text'] ?? '');
  return '';
}

/**
 * Decodes a spectrum element: its id, position, MS level, scan start time and its m/z and
 * intensity arrays (base64, optionally zlib; 32/64-bit numbers).
 */
export function decodeSpectrum(
  bytes: Uint8Array,
  position: number,
  groups: ParamGroups,
  location: DataLocation,
): Spectrum {
  const node = parseElement(bytes, 'spectrum', location);
  const params = cvParamsOf(node, groups);
  const scans = children(children(node, 'scanList')[0], 'scan');
  const scanParams = cvParamsOf(scans[0], groups);
  const time = scanParams.get(CV.scanStartTime);
  const timeUnit = children(scans[0], 'cvParam').find((p) => p.accession === CV.scanStartTime)?.unitAccession;
  const length = Number(node.defaultArrayLength ?? 0);
  let mz: Float64Array | undefined;
  let intensity: Float32Array | Float64Array | undefined;
  for (const array of children(children(node, 'binaryDataArrayList')[0], 'binaryDataArray')) {
    const arrayParams = cvParamsOf(array, groups);
    const isMz = arrayParams.has(CV.mzArray);
    if (!isMz && !arrayParams.has(CV.intensityArray)) continue;
    const values = decodeArray(
      Buffer.from(binaryText(array).trim(), 'base64'),
      arrayEncoding(arrayParams, location),
      Number(array.arrayLength ?? length),
      location,
    );
    if (isMz) mz = asFloat64(values);
    else intensity = values;
  }
  const level = params.get(CV.msLevel);
  return {
    id: String(node.id ?? ''),
    index: position,
    msLevel: level === undefined ? undefined : Number(level),
    scanStartTime: time === undefined ? undefined : Number(time) * (timeUnit === CV.minute ? 60 : 1),
    mz: mz ?? new Float64Array(0),
    intensity: intensity ?? new Float32Array(0),
  };
}
