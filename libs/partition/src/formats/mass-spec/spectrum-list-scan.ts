import type { DatasetSource } from '../../dataset-source.js';
import {
  CorruptDataError,
  InconsistentDataError,
  TrailingDataError,
  TruncatedDataError,
} from '../../errors.js';
import { type CvParams, type ParamGroups, paramGroupsOf } from './cv-params.js';
import { attribute, type XmlTag, XmlTagScanner } from './xml-tags.js';

/** One `<spectrum>` element as the scan found it. */
export interface ScannedSpectrum {
  /** Position in the spectrum list (0-based). */
  position: number;
  id: string;
  /** Byte offset of `<spectrum` and just after `</spectrum>`. */
  start: number;
  end: number;
  defaultArrayLength: number;
  /** With `withParams`: the spectrum's CV parameters (nested ones too, outside binary arrays). */
  params?: CvParams;
  /** With `withParams`: each binary data array's CV parameters. */
  arrays?: CvParams[];
}

/** What the scan learnt about the document around its spectra. */
export interface SpectrumListScan {
  /** `indexedmzML` when the mzML is wrapped with an offset index (which the scan verified). */
  root: 'mzML' | 'indexedmzML';
  /** The bytes before the first spectrum (before `</spectrumList>` when there is none). */
  header: Uint8Array;
  /** The `referenceableParamGroup`s of the header. */
  paramGroups: ParamGroups;
  /** Spectra found. */
  spectra: number;
  /** Byte offset of `</spectrumList>`. */
  spectrumListEnd: number;
}

/** Largest header (everything before the first spectrum) the scan keeps. */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

const STRUCTURE = [
  'mzML',
  'indexedmzML',
  'spectrumList',
  'spectrum',
  'index',
  'offset',
  'indexList',
  'indexListOffset',
];
const PARAMS = ['cvParam', 'referenceableParamGroupRef', 'binaryDataArray'];

/**
 * The index pass over an mzML or imzML document: streams it once, finding every `<spectrum>`
 * element's byte range (reported to `onSpectrum` in order), the header before the first one,
 * and checks the structure (spectrum positions, the list's count, and an indexedmzML offset index
 * against what was found). Memory: the header plus one id and offset per spectrum (for the index check).
 */
export async function scanSpectrumList(
  source: DatasetSource,
  onSpectrum: (spectrum: ScannedSpectrum) => void,
  options: { withParams?: boolean } = {},
): Promise<SpectrumListScan> {
  const key = source.key;
  const { size } = await source.head(key);
  source.expectBytes(size);
  const scanner = new XmlTagScanner(new Set([...STRUCTURE, ...(options.withParams ? PARAMS : [])]));
  const headerChunks: Buffer[] = [];
  let headerBytes = 0;
  let header: Uint8Array | undefined;
  let paramGroups: ParamGroups = {};
  let root: SpectrumListScan['root'] | undefined;
  let rootEnded = false;
  let listCount: { count: number; offset: number } | undefined;
  let spectrumListEnd: number | undefined;
  let current: ScannedSpectrum | undefined;
  let currentArray: CvParams | undefined;
  const found: Array<{ id: string; start: number }> = [];
  let indexName: string | undefined;
  let offsetTag: XmlTag | undefined;
  let checkedOffsets = 0;
  let indexListStart: number | undefined;

  const takeHeader = (end: number): void => {
    if (header) return;
    header = Buffer.concat(headerChunks).subarray(0, end);
    headerChunks.length = 0;
    paramGroups = paramGroupsOf(header);
  };
  const onTag = (tag: XmlTag): void => {
    if (rootEnded)
      throw new TrailingDataError({ key, offset: tag.start }, `<${tag.name}> after the document's end`);
    if (root === undefined) {
      if (tag.name !== 'mzML' && tag.name !== 'indexedmzML') {
        throw new CorruptDataError(
          { key, offset: tag.start },
          `the root element is <${tag.name}>, not <mzML>`,
        );
      }
      root = tag.name;
    }
    switch (tag.name) {
      case 'mzML':
      case 'indexedmzML':
        if (tag.kind === 'end' && tag.name === root) rootEnded = true;
        return;
      case 'spectrumList':
        if (tag.kind === 'end') {
          if (current) throw new CorruptDataError({ key, offset: current.start }, 'spectrum not closed');
          spectrumListEnd = tag.start;
          takeHeader(tag.start);
        } else {
          listCount = { count: Number(attribute(tag.text, 'count')), offset: tag.start };
        }
        return;
      case 'spectrum':
        onSpectrumTag(tag);
        return;
      case 'binaryDataArray':
        if (current && tag.kind === 'start') {
          currentArray = new Map();
          current.arrays!.push(currentArray);
        } else currentArray = undefined;
        return;
      case 'cvParam':
        (currentArray ?? current?.params)?.set(
          attribute(tag.text, 'accession') ?? '',
          attribute(tag.text, 'value') ?? '',
        );
        return;
      case 'referenceableParamGroupRef':
        for (const [accession, value] of paramGroups[attribute(tag.text, 'ref') ?? ''] ?? []) {
          (currentArray ?? current?.params)?.set(accession, value);
        }
        return;
      case 'indexList':
        if (tag.kind === 'start') indexListStart = tag.start;
        return;
      case 'index':
        indexName = tag.kind === 'start' ? attribute(tag.text, 'name') : undefined;
        return;
      case 'offset':
        if (tag.kind === 'start') offsetTag = tag;
        else if (indexName === 'spectrum' && offsetTag) checkIndexEntry(offsetTag, tag.textBefore);
        return;
      case 'indexListOffset':
        if (tag.kind === 'end' && indexListStart !== undefined && Number(tag.textBefore) !== indexListStart) {
          throw new InconsistentDataError(
            { key, offset: tag.start },
            `indexListOffset says ${tag.textBefore?.trim()}, but <indexList> starts at ${indexListStart}`,
          );
        }
        return;
    }
  };
  const onSpectrumTag = (tag: XmlTag): void => {
    if (tag.kind === 'end') {
      if (!current) throw new CorruptDataError({ key, offset: tag.start }, '</spectrum> without <spectrum>');
      current.end = tag.end;
      onSpectrum(current);
      current = undefined;
      return;
    }
    if (current)
      throw new CorruptDataError({ key, offset: tag.start }, `spectrum ${current.position} not closed`);
    takeHeader(tag.start);
    const position = found.length;
    const index = attribute(tag.text, 'index');
    if (index !== undefined && Number(index) !== position) {
      throw new InconsistentDataError(
        { key, offset: tag.start },
        `spectrum index="${index}" at position ${position}`,
      );
    }
    const id = attribute(tag.text, 'id') ?? '';
    found.push({ id, start: tag.start });
    const spectrum: ScannedSpectrum = {
      position,
      id,
      start: tag.start,
      end: tag.end,
      defaultArrayLength: Number(attribute(tag.text, 'defaultArrayLength') ?? 0),
    };
    if (options.withParams) {
      spectrum.params = new Map();
      spectrum.arrays = [];
    }
    if (tag.kind === 'empty') onSpectrum(spectrum);
    else current = spectrum;
  };
  const checkIndexEntry = (tag: XmlTag, text: string | undefined): void => {
    const entry = found[checkedOffsets];
    const idRef = attribute(tag.text, 'idRef');
    const offset = Number(text?.trim());
    if (!entry || entry.id !== idRef || entry.start !== offset) {
      throw new InconsistentDataError(
        { key, offset: tag.start },
        `the offset index says spectrum ${checkedOffsets} (${idRef}) is at byte ${text?.trim()}, ` +
          (entry
            ? `but ${entry.id} starts at ${entry.start}`
            : `but the file has only ${found.length} spectra`),
      );
    }
    checkedOffsets++;
  };

  for await (const chunk of source.stream(key)) {
    if (!header) {
      const copy = Buffer.from(chunk);
      headerChunks.push(copy);
      headerBytes += copy.length;
      if (headerBytes > MAX_HEADER_BYTES) {
        throw new CorruptDataError(
          { key, offset: 0 },
          `no spectrum list in the first ${MAX_HEADER_BYTES} bytes`,
        );
      }
    }
    for (const tag of scanner.push(chunk)) onTag(tag);
  }
  if (current) {
    throw new TruncatedDataError(
      { key, offset: current.start },
      `the file ends inside spectrum ${current.position}`,
    );
  }
  if (!root || !rootEnded || !header || spectrumListEnd === undefined) {
    throw new TruncatedDataError(
      { key, offset: scanner.pendingOffset },
      `the document ends before ${spectrumListEnd === undefined ? '</spectrumList>' : `</${root}>`}`,
    );
  }
  if (listCount && listCount.count !== found.length) {
    throw new InconsistentDataError(
      { key, offset: listCount.offset },
      `spectrumList count="${listCount.count}", but it holds ${found.length} spectra`,
    );
  }
  if (root === 'indexedmzML' && checkedOffsets !== found.length) {
    throw new InconsistentDataError(
      { key, offset: indexListStart ?? spectrumListEnd },
      `the offset index lists ${checkedOffsets} spectra, the file holds ${found.length}`,
    );
  }
  return { root, header, paramGroups, spectra: found.length, spectrumListEnd };
}
