import { attribute, XmlTagScanner } from './xml-tags.js';

/**
 * Controlled-vocabulary parameters of one element: accession → value (`''` for flags), with the
 * parameters of referenced `referenceableParamGroup`s merged in.
 */
export type CvParams = Map<string, string>;

/** The `referenceableParamGroup`s of a file: id → `[accession, value]` pairs (JSON, for partitions). */
export type ParamGroups = Record<string, Array<[string, string]>>;

/** Accessions the mass-spec readers use. */
export const CV = {
  msLevel: 'MS:1000511',
  scanStartTime: 'MS:1000016',
  minute: 'UO:0000031',
  mzArray: 'MS:1000514',
  intensityArray: 'MS:1000515',
  float32: 'MS:1000521',
  float64: 'MS:1000523',
  int32: 'MS:1000519',
  int64: 'MS:1000522',
  zlib: 'MS:1000574',
  noCompression: 'MS:1000576',
  uuid: 'IMS:1000080',
  ibdMd5: 'IMS:1000090',
  ibdSha1: 'IMS:1000091',
  continuous: 'IMS:1000030',
  processed: 'IMS:1000031',
  positionX: 'IMS:1000050',
  positionY: 'IMS:1000051',
  externalOffset: 'IMS:1000102',
  externalArrayLength: 'IMS:1000103',
  externalEncodedLength: 'IMS:1000104',
} as const;

/** MS-Numpress compressions (alone or with zlib), which these readers do not decode. */
export const NUMPRESS_ACCESSIONS: readonly string[] = [
  'MS:1002312',
  'MS:1002313',
  'MS:1002314',
  'MS:1002746',
  'MS:1002747',
  'MS:1002748',
];

/** The `referenceableParamGroup`s declared in a file's header bytes. */
export function paramGroupsOf(header: Uint8Array): ParamGroups {
  const groups: ParamGroups = {};
  let current: Array<[string, string]> | undefined;
  const scanner = new XmlTagScanner(new Set(['referenceableParamGroup', 'cvParam']));
  for (const tag of scanner.push(header)) {
    if (tag.name === 'referenceableParamGroup') {
      if (tag.kind === 'end') current = undefined;
      else {
        current = [];
        groups[attribute(tag.text, 'id') ?? ''] = current;
      }
    } else if (current) {
      current.push([attribute(tag.text, 'accession') ?? '', attribute(tag.text, 'value') ?? '']);
    }
  }
  return groups;
}

/** A node of fast-xml-parser's output (attributes without prefix, repeated children as arrays). */
export type XmlNode = { [name: string]: unknown };

/** The children named `name` of a parsed node (always an array). */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined || value === '') return [];
  return (Array.isArray(value) ? value : [value]) as XmlNode[];
}

/** The CV parameters of a parsed element, with its referenced parameter groups. */
export function cvParamsOf(node: XmlNode | undefined, groups: ParamGroups): CvParams {
  const params: CvParams = new Map();
  for (const ref of children(node, 'referenceableParamGroupRef')) {
    for (const [accession, value] of groups[String(ref.ref)] ?? []) params.set(accession, value);
  }
  for (const param of children(node, 'cvParam')) {
    params.set(String(param.accession), param.value === undefined ? '' : String(param.value));
  }
  return params;
}
