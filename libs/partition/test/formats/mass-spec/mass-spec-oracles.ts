// Independent oracles for the mass-spec tests: Debian's Python standard library and OpenMS FileInfo,
// run through the oracle runner of @isthmus/fixtures.
import { pythonJson, runTool } from '@isthmus/fixtures';

/**
 * Per spectrum of an mzML file: id, number of peaks, sum of intensities and of m/z, decoded with
 * xml.etree, base64, zlib and struct (no mass-spec library).
 */
const PYTHON_MZML = `
import base64, json, struct, sys, zlib
import xml.etree.ElementTree as ET
NS = '{http://psi.hupo.org/ms/mzml}'
out = []
for _, el in ET.iterparse(sys.argv[1]):
    if el.tag != NS + 'spectrum':
        continue
    sums = {}
    for array in el.iter(NS + 'binaryDataArray'):
        acc = {p.get('accession') for p in array.iter(NS + 'cvParam')}
        raw = base64.b64decode((array.find(NS + 'binary').text or '').strip())
        if 'MS:1000574' in acc:
            raw = zlib.decompress(raw)
        fmt = 'd' if 'MS:1000523' in acc else 'f'
        values = struct.unpack('<%d%s' % (len(raw) // struct.calcsize(fmt), fmt), raw)
        name = 'mz' if 'MS:1000514' in acc else 'intensity' if 'MS:1000515' in acc else None
        if name:
            sums[name] = values
    out.append({'id': el.get('id'), 'peaks': len(sums.get('mz', ())), 'mzSum': sum(sums.get('mz', ())),
                'intensitySum': sum(sums.get('intensity', ()))})
    el.clear()
print(json.dumps(out))
`;

/** One spectrum as the Python oracle sees it. */
export interface OracleSpectrum {
  id: string;
  peaks: number;
  mzSum: number;
  intensitySum: number;
}

/** The spectra of an mzML file per the Python oracle. */
export function pythonSpectra(path: string): Promise<OracleSpectrum[]> {
  return pythonJson<OracleSpectrum[]>(PYTHON_MZML, path);
}

/** What OpenMS FileInfo reports about an mzML file: spectra and peaks. */
export async function fileInfo(path: string): Promise<{ spectra: number; peaks: number }> {
  const output = (await runTool('FileInfo', ['-in', path])).toString('utf8');
  const spectra = /Number of spectra: (\d+)/.exec(output)?.[1];
  const peaks = /Total number of peaks: (\d+)/.exec(output)?.[1];
  if (spectra === undefined || peaks === undefined) throw new Error(`FileInfo printed no counts:\n${output}`);
  return { spectra: Number(spectra), peaks: Number(peaks) };
}

/** Sums a typed array in file order (as Python's sum does). */
export function sumOf(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

/**
 * Per pixel of an imzML + .ibd pair: position, peaks, sums of m/z and intensity, read with
 * xml.etree and struct (parameter groups resolved); fails when the UUIDs differ.
 */
const PYTHON_IMZML = `
import json, struct, sys
import xml.etree.ElementTree as ET
NS = '{http://psi.hupo.org/ms/mzml}'
root = ET.parse(sys.argv[1]).getroot()
groups = {g.get('id'): {p.get('accession'): p.get('value') for p in g.iter(NS + 'cvParam')}
          for g in root.iter(NS + 'referenceableParamGroup')}
def params(el):
    out = {}
    for ref in el.findall(NS + 'referenceableParamGroupRef'):
        out.update(groups[ref.get('ref')])
    for p in el.findall(NS + 'cvParam'):
        out[p.get('accession')] = p.get('value')
    return out
uuid = params(root.find(NS + 'fileDescription/' + NS + 'fileContent'))['IMS:1000080'].strip('{}').replace('-', '').lower()
ibd = open(sys.argv[2], 'rb').read()
assert ibd[:16].hex() == uuid, 'UUID mismatch'
pixels = []
for spectrum in root.iter(NS + 'spectrum'):
    scan = params(spectrum.find(NS + 'scanList/' + NS + 'scan'))
    arrays = {}
    for array in spectrum.iter(NS + 'binaryDataArray'):
        p = params(array)
        fmt = 'd' if 'MS:1000523' in p else 'f'
        offset, length = int(p['IMS:1000102']), int(p['IMS:1000103'])
        values = struct.unpack_from('<%d%s' % (length, fmt), ibd, offset)
        arrays['mz' if 'MS:1000514' in p else 'intensity'] = values
    pixels.append({'x': int(scan['IMS:1000050']), 'y': int(scan['IMS:1000051']), 'peaks': len(arrays['mz']),
                   'mzSum': sum(arrays['mz']), 'intensitySum': sum(arrays['intensity'])})
print(json.dumps(pixels))
`;

/** One pixel as the Python oracle sees it. */
export interface OraclePixel {
  x: number;
  y: number;
  peaks: number;
  mzSum: number;
  intensitySum: number;
}

/** The pixels of an imzML + .ibd pair per the Python oracle. */
export function pythonPixels(imzml: string, ibd: string): Promise<OraclePixel[]> {
  return pythonJson<OraclePixel[]>(PYTHON_IMZML, imzml, ibd);
}
