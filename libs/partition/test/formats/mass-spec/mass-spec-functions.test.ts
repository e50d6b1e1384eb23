import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, executor, LocalBackend } from '@isthmus/faas';
import { type SampleStore, sampleBytes, sampleStore } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as MassSpecFunctions from '../../../examples/mass-spec-functions.js';
import { openDataset } from '../../../src/dataset.js';
import type { Pixel } from '../../../src/formats/mass-spec/imzml-pixels.js';
import type { Spectrum } from '../../../src/formats/mass-spec/mzml-spectrum.js';
import { pythonPixels, pythonSpectra, sumOf } from './mass-spec-oracles.js';
import { SAMPLE_MZML } from './mzml-files.js';

const ENTRY = fileURLToPath(new URL('../../../examples/mass-spec-functions.ts', import.meta.url));
const IMZML = 'imzml/Example_Processed.imzML';

describe('mass-spec pipelines as functions on the local pool', () => {
  let dir: string;
  let fixture: SampleStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-mass-spec-functions-'));
    fixture = await sampleStore('file', ['mzml', 'imzml'], inject('s3'));
  });
  afterAll(async () => {
    await fixture.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('TIC per spectrum and mean intensity per pixel equal a sequential pass and Python', async () => {
    const bundle = await buildBundle({ entry: ENTRY, outDir: join(dir, 'bundle') });
    const ex = await executor<typeof MassSpecFunctions>({
      backend: new LocalBackend({ maxWorkers: 2 }),
      bundle,
    });
    try {
      const mzml = await openDataset(SAMPLE_MZML, { store: fixture.store });
      const [whole] = await mzml.partition({ by: 'count', count: 1 });
      const sequentialTics: MassSpecFunctions.SpectrumTic[] = [];
      for await (const spectrum of mzml.read<Spectrum>(whole!)) {
        sequentialTics.push({ id: spectrum.id, index: spectrum.index, tic: sumOf(spectrum.intensity) });
      }
      await writeFile(join(dir, 'small.mzML'), await sampleBytes(SAMPLE_MZML));
      const python = await pythonSpectra(join(dir, 'small.mzML'));
      expect(sequentialTics.map((tic) => tic.id)).toEqual(python.map((spectrum) => spectrum.id));
      for (const [i, tic] of sequentialTics.entries())
        expect(tic.tic).toBeCloseTo(python[i]!.intensitySum, 4);
      const spectraPartitions = await mzml.partition({ by: 'spectra', perPartition: 10 });
      expect(spectraPartitions.length).toBe(Math.ceil(python.length / 10));
      expect(await ex.mapReduce('spectrumTics', spectraPartitions, 'concatenate')).toEqual(sequentialTics);

      const imzml = await openDataset(IMZML, { store: fixture.store });
      const [image] = await imzml.partition({ by: 'count', count: 1 });
      const sequentialMeans: MassSpecFunctions.PixelMean[] = [];
      for await (const pixel of imzml.read<Pixel>(image!)) {
        sequentialMeans.push({
          x: pixel.x,
          y: pixel.y,
          mean: sumOf(pixel.intensity) / pixel.intensity.length,
        });
      }
      for (const name of ['Example_Processed.imzML', 'Example_Processed.ibd']) {
        await writeFile(join(dir, name), await sampleBytes(`imzml/${name}`));
      }
      const pythonMeans = await pythonPixels(
        join(dir, 'Example_Processed.imzML'),
        join(dir, 'Example_Processed.ibd'),
      );
      expect(sequentialMeans.map(({ x, y }) => [x, y])).toEqual(pythonMeans.map(({ x, y }) => [x, y]));
      for (const [i, mean] of sequentialMeans.entries()) {
        expect(mean.mean).toBeCloseTo(pythonMeans[i]!.intensitySum / pythonMeans[i]!.peaks, 6);
      }
      const rowPartitions = await imzml.partition({ by: 'pixels', rows: 1 });
      expect(rowPartitions.length).toBeGreaterThan(1);
      expect(await ex.mapReduce('pixelMeans', rowPartitions, 'concatenate')).toEqual(sequentialMeans);
    } finally {
      await ex.close();
    }
  });
});
