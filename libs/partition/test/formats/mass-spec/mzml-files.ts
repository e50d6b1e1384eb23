// mzML test files made from the sample: without the offset index, and larger (spectra repeated).
import { sampleBytes } from '@isthmus/fixtures';

/** The sample indexedmzML. */
export const SAMPLE_MZML = 'mzml/small.mzML';

/** The sample as a plain mzML: the `<mzML>` element alone, without the indexedmzML wrapper and index. */
export async function plainMzml(): Promise<Buffer> {
  const text = (await sampleBytes(SAMPLE_MZML)).toString('latin1');
  const start = text.indexOf('<mzML');
  const end = text.indexOf('</mzML>') + '</mzML>'.length;
  return Buffer.from(`<?xml version="1.0" encoding="utf-8"?>\n${text.slice(start, end)}\n`, 'latin1');
}

/** A plain mzML holding the sample's spectra `copies` times, with new ids and positions. */
export async function repeatedMzml(copies: number): Promise<Buffer> {
  const text = (await plainMzml()).toString('latin1');
  const first = text.indexOf('<spectrum ');
  const listEnd = text.indexOf('</spectrumList>');
  const spectra = text
    .slice(first, listEnd)
    .trimEnd()
    .split(/(?<=<\/spectrum>)\s*/)
    .filter(Boolean);
  const repeated: string[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const spectrum of spectra) {
      const position = repeated.length;
      repeated.push(
        spectrum
          .replace(/ index="\d+"/, ` index="${position}"`)
          .replace(/ id="([^"]*)"/, ` id="$1 copy=${copy}"`),
      );
    }
  }
  const header = text.slice(0, first).replace(/(<spectrumList count=")\d+/, `$1${repeated.length}`);
  return Buffer.from(`${header}${repeated.join('\n        ')}\n      ${text.slice(listEnd)}`, 'latin1');
}
