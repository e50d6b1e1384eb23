import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SampleStore, STORE_KINDS, sampleBytes, sampleStore } from '@isthmus/fixtures';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Dataset, openDataset } from '../../../src/dataset.js';
import type { Spectrum } from '../../../src/formats/mass-spec/mzml-spectrum.js';
import { partitionBytes } from '../../../src/partition.js';
import { read } from '../../../src/read-partition.js';
import type { Strategy } from '../../../src/strategy.js';
import { checkCoverProperty, genericStrategies } from '../../../src/testing/exact-cover.js';
import { ByteCountingStore } from '../../support/byte-counting-store.js';
import { fileInfo, type OracleSpectrum, pythonSpectra, sumOf } from './mass-spec-oracles.js';
import { plainMzml, repeatedMzml, SAMPLE_MZML } from './mzml-files.js';

const PLAIN = 'generated/plain.mzML';
const LARGE = 'generated/large.mzML';
const FILES = [SAMPLE_MZML, PLAIN, LARGE];

/** Generic strategies and `spectra` (ranges or per partition) for a file of `records` spectra. */
function strategies(records: number, bytes: number): fc.Arbitrary<Strategy> {
  const cut = fc.uniqueArray(fc.integer({ min: 1, max: records - 1 }), { maxLength: 6 }).map((cuts) => {
    const points = [0, ...cuts.sort((a, b) => a - b), records];
    return points.slice(0, -1).map((first, i): [number, number] => [first, points[i + 1]!]);
  });
  return fc.oneof(
    genericStrategies(records, bytes),
    cut.map((ranges): Strategy => ({ by: 'spectra', ranges })),
    fc.integer({ min: 1, max: records }).map((perPartition): Strategy => ({ by: 'spectra', perPartition })),
  );
}

function oracleOf(spectrum: Spectrum): OracleSpectrum {
  return {
    id: spectrum.id,
    peaks: spectrum.mz.length,
    mzSum: sumOf(spectrum.mz),
    intensitySum: sumOf(spectrum.intensity),
  };
}

async function spectraOf(dataset: Dataset, strategy: Strategy): Promise<Spectrum[]> {
  const spectra: Spectrum[] = [];
  for (const partition of await dataset.partition(strategy)) {
    for await (const spectrum of dataset.read<Spectrum>(partition)) spectra.push(spectrum);
  }
  return spectra;
}

let dir: string;
const expected = new Map<string, OracleSpectrum[]>();
const files = new Map<string, Buffer>();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isthmus-mzml-'));
  files.set(SAMPLE_MZML, await sampleBytes(SAMPLE_MZML));
  files.set(PLAIN, await plainMzml());
  files.set(LARGE, await repeatedMzml(2));
  for (const [key, bytes] of files) {
    const path = join(dir, key.replaceAll('/', '_'));
    await writeFile(path, bytes);
    expected.set(key, await pythonSpectra(path));
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.each(STORE_KINDS)('mzML on a %s store', (kind) => {
  let fixture: SampleStore;
  beforeAll(async () => {
    fixture = await sampleStore(kind, ['mzml'], inject('s3'));
    for (const key of [PLAIN, LARGE]) await fixture.store.put(key, files.get(key)!);
  });
  afterAll(() => fixture.dispose());

  it.each(FILES)(
    '%s: detected, spectra decoded as Python decodes them, every plan covers it',
    async (key) => {
      const dataset = await openDataset(key, { store: fixture.store });
      expect(dataset.format).toBe('mzml');
      const summary = await dataset.summary();
      const reference = expected.get(key)!;
      expect(summary).toMatchObject({ records: reference.length, unit: 'spectra' });
      expect(summary.details?.indexed).toBe(key === SAMPLE_MZML);
      const spectra = await spectraOf(dataset, { by: 'count', count: 1 });
      expect(spectra.map(oracleOf)).toEqual(
        reference.map((spectrum) =>
          expect.objectContaining({
            ...spectrum,
            mzSum: expect.closeTo(spectrum.mzSum, 6),
            intensitySum: expect.closeTo(spectrum.intensitySum, 6),
          }),
        ),
      );
      expect(spectra.map((spectrum) => spectrum.index)).toEqual(reference.map((_, i) => i));
      await checkCoverProperty(dataset, strategies(summary.records, summary.bytes), {
        runs: key === LARGE ? 5 : 4,
      });
    },
  );

  it('the large file has several checkpoints, and a partition fetches only about its share', async () => {
    const dataset = await openDataset(LARGE, { store: fixture.store });
    const index = (await dataset.index()) as { checkpoints: unknown[] };
    expect(index.checkpoints.length).toBeGreaterThan(4);
    const partitions = await dataset.partition({ by: 'count', count: 4 });
    expect(partitions.length).toBe(4);
    const size = files.get(LARGE)!.length;
    for (const partition of partitions) {
      // Read through a store that counts what it serves: the bytes the partition's read fetched.
      const counting = new ByteCountingStore(fixture.store);
      let spectra = 0;
      for await (const _ of read<Spectrum>(partition, { store: counting })) spectra++;
      expect(spectra).toBe(partition.records);
      // Its spectra, from the checkpoint before the first to at most the one after the last.
      expect(counting.readsOutside(partition.ranges)).toEqual([]);
      expect(counting.bytesServed).toBeLessThanOrEqual(partitionBytes(partition));
      expect(counting.bytesServed).toBeLessThan(size / 2);
    }
  });

  it('reads Arrow batches: a row per spectrum with list columns of m/z and intensity', async () => {
    const dataset = await openDataset(SAMPLE_MZML, { store: fixture.store });
    const [partition] = await dataset.partition({ by: 'spectra', ranges: [[3, 9]] });
    const spectra: Spectrum[] = [];
    for await (const spectrum of dataset.read<Spectrum>(partition!)) spectra.push(spectrum);
    const rows: Array<Record<string, unknown>> = [];
    for await (const batch of dataset.readBatches(partition!)) {
      expect(batch.schema.fields.map((field) => field.name)).toEqual([
        'id',
        'index',
        'msLevel',
        'scanStartTime',
        'mz',
        'intensity',
      ]);
      for (const row of batch) rows.push(row!.toJSON());
    }
    expect(rows.map((row) => row.id)).toEqual(spectra.map((spectrum) => spectrum.id));
    expect(rows.map((row) => row.msLevel)).toEqual(spectra.map((spectrum) => spectrum.msLevel));
    expect(rows.map((row) => [...(row.mz as Iterable<number>)])).toEqual(
      spectra.map((spectrum) => [...spectrum.mz]),
    );
    expect(rows.map((row) => [...(row.intensity as Iterable<number>)])).toEqual(
      spectra.map((spectrum) => [...spectrum.intensity]),
    );
  });

  it.each([SAMPLE_MZML, LARGE])(
    '%s: partition files are mzML that FileInfo and Python read as the partition',
    async (key) => {
      const dataset = await openDataset(key, { store: fixture.store });
      const whole = await fileInfo(join(dir, key.replaceAll('/', '_')));
      expect(whole.spectra).toBe(expected.get(key)!.length);
      let spectra = 0;
      let peaks = 0;
      for (const partition of await dataset.partition({ by: 'count', count: 3 })) {
        const [file, ...others] = await dataset.toFile(partition);
        expect(others).toEqual([]);
        expect(file!.name).toBe(`part-0000${partition.index}.mzML`);
        const path = join(dir, `${kind}-${key.replaceAll('/', '_')}-${file!.name}`);
        await writeFile(path, file!.data);
        const info = await fileInfo(path);
        const read: OracleSpectrum[] = [];
        for await (const spectrum of dataset.read<Spectrum>(partition)) read.push(oracleOf(spectrum));
        expect(info.spectra).toBe(partition.records);
        expect(await pythonSpectra(path)).toEqual(read);
        spectra += info.spectra;
        peaks += info.peaks;
      }
      expect({ spectra, peaks }).toEqual(whole);
    },
  );
});
