import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle, createBackend, executor } from '@isthmus/faas';
import {
  type FormatHandler,
  FormatRegistrationError,
  findFormat,
  listFormats,
  openDataset,
  registerFormat,
  UnknownFormatError,
} from '@isthmus/partition';
import { checkCoverProperty, genericStrategies } from '@isthmus/partition/testing';
import { type ObjectStore, openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_FAMILIES } from '../src/builtin-families.js';
import { keyValueFormat } from './fixtures/key-value-format.js';
import type * as KeyValueFunctions from './fixtures/key-value-functions.js';

const PAIRS = Array.from({ length: 500 }, (_, i) => `k${i}=${i}`);

describe('a format registered from outside the package', () => {
  let dir: string;
  let store: ObjectStore;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-registry-'));
    store = openStore(`file://${dir}/store`);
    await store.put('pairs.txt', `#key-value\n${PAIRS.join('\n')}\n`);
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is detected before the built-in text formats, and partitions exactly once', async () => {
    const dataset = await openDataset('pairs.txt', { store });
    expect(dataset.format).toBe('key-value');
    expect((await dataset.summary()).records).toBe(500);
    await checkCoverProperty(dataset, genericStrategies(500, 5000), { runs: 20 });
    const pieces = await dataset.partition('records=100');
    expect(pieces.map((piece) => piece.records)).toEqual([100, 100, 100, 100, 100]);
  });

  it('is read by functions on the local pool that import its module', async () => {
    const dataset = await openDataset('pairs.txt', { store });
    const bundle = await buildBundle({
      entry: join(import.meta.dirname, 'fixtures/key-value-functions.ts'),
      outDir: join(dir, 'bundle'),
    });
    const ex = await executor<typeof KeyValueFunctions>({
      backend: createBackend('local'),
      bundle,
      storage: store,
    });
    try {
      const sum = await ex.mapReduce('sumValues', await dataset.partition('count=4'), 'total');
      expect(sum).toBe((499 * 500) / 2);
    } finally {
      await ex.close();
    }
  });

  it('keeps names unique: a built-in name or a second handler of a name is refused, the same one is a no-op', () => {
    expect(() => registerFormat(keyValueFormat)).not.toThrow();
    expect(() => registerFormat({ ...keyValueFormat })).toThrow(FormatRegistrationError);
    expect(() => registerFormat({ ...keyValueFormat, name: 'bam' })).toThrow(/another format has that name/);
    expect(() => registerFormat({ ...keyValueFormat, name: 'Has Spaces' })).toThrow(FormatRegistrationError);
    const noPlan = { ...keyValueFormat, name: 'no-plan', plan: undefined } as unknown as FormatHandler;
    expect(() => registerFormat(noPlan)).toThrow(/no plan\(\)/);
  });
});

describe('the format registry', () => {
  it('lists third parties first, then every built-in family in its catalog order', async () => {
    const names = (await listFormats()).map((format) => format.name);
    const builtin = BUILTIN_FAMILIES.flatMap((family) => family.formats);
    expect(names.slice(names.length - builtin.length)).toEqual(builtin);
    for (const family of BUILTIN_FAMILIES) {
      for (const name of family.formats) expect((await findFormat(name)).family).toBe(family.family);
    }
  });

  it('names the known formats when asked for an unknown one', async () => {
    await expect(findFormat('parquet')).rejects.toThrow(UnknownFormatError);
    await expect(findFormat('parquet')).rejects.toThrow(/known: zarr, .*bam, .*lines/);
  });
});
