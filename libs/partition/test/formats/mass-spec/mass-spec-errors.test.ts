import { type SampleStore, sampleBytes, sampleStore } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDataset } from '../../../src/dataset.js';
import {
  FormatMismatchError,
  InconsistentDataError,
  MissingPartError,
  PairMismatchError,
  TruncatedDataError,
} from '../../../src/errors.js';
import { SAMPLE_MZML } from './mzml-files.js';

const CONTINUOUS = 'imzml/Example_Continuous.imzML';
const PROCESSED = 'imzml/Example_Processed.imzML';

/** Expects the index pass over `key` to fail with `type`, naming `key` and a byte offset. */
async function expectIndexError(
  store: SampleStore['store'],
  key: string,
  type: new (...args: never[]) => Error,
) {
  const dataset = await openDataset(key, { store });
  const error = await dataset.index().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(type);
  return error as Error & { key: string; offset: number | undefined };
}

describe('mass-spec bad input', () => {
  let fixture: SampleStore;
  let mzml: Buffer;
  beforeAll(async () => {
    fixture = await sampleStore('file', ['mzml', 'imzml'], inject('s3'));
    mzml = await sampleBytes(SAMPLE_MZML);
  });
  afterAll(() => fixture.dispose());

  it('an mzML cut in the middle of a spectrum is truncated at that spectrum', async () => {
    const text = mzml.toString('latin1');
    const tenth = text.indexOf('<spectrum index="10"');
    await fixture.store.put('bad/cut.mzML', mzml.subarray(0, tenth + 5000));
    const error = await expectIndexError(fixture.store, 'bad/cut.mzML', TruncatedDataError);
    expect(error.key).toBe('bad/cut.mzML');
    expect(error.offset).toBe(tenth);
    expect(error.message).toContain(`bad/cut.mzML at byte ${tenth}`);
  });

  it('an indexedmzML whose offset index lies is inconsistent, at the lying entry', async () => {
    const text = mzml.toString('latin1');
    const real = /idRef="controllerType=0 controllerNumber=1 scan=5">(\d+)</.exec(text)!;
    const lying = text.replace(real[0], real[0].replace(real[1]!, String(Number(real[1]) + 1)));
    await fixture.store.put('bad/lying.mzML', Buffer.from(lying, 'latin1'));
    const error = await expectIndexError(fixture.store, 'bad/lying.mzML', InconsistentDataError);
    expect(error.offset).toBe(lying.indexOf('<offset idRef="controllerType=0 controllerNumber=1 scan=5"'));
    expect(error.message).toMatch(/bad\/lying\.mzML at byte \d+: the offset index says spectrum 4/);
  });

  it('an imzML whose .ibd has another UUID is a pair mismatch naming both', async () => {
    const ibd = Buffer.from(await sampleBytes(CONTINUOUS.replace('.imzML', '.ibd')));
    ibd[3] = ibd[3]! ^ 0xff;
    await fixture.store.put('bad/other.imzML', await sampleBytes(CONTINUOUS));
    await fixture.store.put('bad/other.ibd', ibd);
    const error = await expectIndexError(fixture.store, 'bad/other.imzML', PairMismatchError);
    expect(error.key).toBe('bad/other.ibd');
    expect(error.message).toContain('bad/other.imzML');
  });

  it('an imzML without its .ibd is a missing part', async () => {
    await fixture.store.put('bad/alone.imzML', await sampleBytes(PROCESSED));
    const error = await expectIndexError(fixture.store, 'bad/alone.imzML', MissingPartError);
    expect(error.key).toBe('bad/alone.ibd');
  });

  it('a truncated .ibd is truncated at its end', async () => {
    const ibd = await sampleBytes(PROCESSED.replace('.imzML', '.ibd'));
    await fixture.store.put('bad/short.imzML', await sampleBytes(PROCESSED));
    await fixture.store.put('bad/short.ibd', ibd.subarray(0, ibd.length - 1000));
    const error = await expectIndexError(fixture.store, 'bad/short.imzML', TruncatedDataError);
    expect(error.key).toBe('bad/short.ibd');
    expect(error.offset).toBe(ibd.length - 1000);
  });

  it('declaring the wrong format is a format mismatch, both ways', async () => {
    await expect(openDataset(SAMPLE_MZML, { store: fixture.store, format: 'imzml' })).rejects.toBeInstanceOf(
      FormatMismatchError,
    );
    await expect(openDataset(CONTINUOUS, { store: fixture.store, format: 'mzml' })).rejects.toBeInstanceOf(
      FormatMismatchError,
    );
  });
});
