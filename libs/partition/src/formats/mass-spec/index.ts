// @isthmus/partition/mass-spec: imzML (+ .ibd) and mzML. Loaded by the core on first use;
// importing it registers its formats, and gives their record and strategy types.
import { registerFormat } from '../../format-registry.js';
import { imzmlFormat } from './imzml-format.js';
import { mzmlFormat } from './mzml-format.js';

registerFormat(imzmlFormat);
registerFormat(mzmlFormat);

export type { Pixel } from './imzml-pixels.js';
export type { Spectrum } from './mzml-spectrum.js';
export { type PixelsStrategy, pixelsStrategy } from './pixels-strategy.js';
export { type SpectraStrategy, spectraStrategy } from './spectra-strategy.js';
