// The formats that come with the package, by family. A family's module is loaded on first use (a
// dataset or partition of one of its formats, or detection reaching it) and registers its formats
// with `registerFormat`, as a third party's module would.

/** A family of built-in formats: its formats, in detection order, and how to load it. */
export interface BuiltinFamily {
  readonly family: string;
  readonly formats: readonly string[];
  load(): Promise<unknown>;
}

/**
 * The built-in families in detection order: formats with magic bytes before those recognised by
 * name, and the generic text formats last (`lines` takes any valid UTF-8 text).
 */
export const BUILTIN_FAMILIES: readonly BuiltinFamily[] = [
  { family: 'array', formats: ['zarr'], load: () => import('./formats/array/index.js') },
  {
    family: 'point-cloud',
    formats: ['copc', 'laz', 'las'],
    load: () => import('./formats/point-cloud/index.js'),
  },
  { family: 'raster', formats: ['cog', 'geotiff'], load: () => import('./formats/raster/index.js') },
  { family: 'mass-spec', formats: ['imzml', 'mzml'], load: () => import('./formats/mass-spec/index.js') },
  {
    family: 'genomics',
    formats: ['bam', 'vcf', 'sam', 'fastq', 'fasta'],
    load: () => import('./formats/genomics/index.js'),
  },
  { family: 'text', formats: ['csv', 'jsonl', 'lines'], load: () => import('./formats/text/index.js') },
];
