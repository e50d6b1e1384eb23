/**
 * Header and footer text of a partition file made from an mzML or imzML header (handled as
 * latin1 so bytes pass through unchanged whatever the declared encoding).
 */

/** The header without an `<indexedmzML>` wrapper, with the spectrum list's count set to `count`. */
export function partitionHeader(header: Uint8Array, count: number): string {
  return Buffer.from(header.buffer, header.byteOffset, header.length)
    .toString('latin1')
    .replace(/<indexedmzML\b[^>]*>\s*/, '')
    .replace(/(<spectrumList\b[^>]*?\scount\s*=\s*)(["'])\d*\2/, `$1"${count}"`);
}

/** What closes the document after the spectra (chromatograms and offset index are not kept). */
export const PARTITION_FOOTER = '\n    </spectrumList>\n  </run>\n</mzML>\n';

/** Sets a spectrum element's `index` attribute to its position in the partition file. */
export function renumberSpectrum(element: string, position: number): string {
  return element.replace(/^(<spectrum\b[^>]*?\sindex\s*=\s*)(["'])\d*\2/, `$1"${position}"`);
}
