// Embedding benchmark: the default embedder against a raw tokenise + lookup + average of the same
// vectors in one thread, and embedding throughput on the faas local backend with 2 workers against
// 1. Ratios against baselines measured in the same run, interleaved round by round.
//   node --conditions=@isthmus/source --import tsx libs/vectors/bench/embedding-bench.ts [--quick]
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, type Executor, executor, LocalBackend, results } from '@isthmus/faas';
import {
  ensureWordVectorCache,
  prepareWordVectors,
  wordVectorFiles,
} from '../src/embedders/word-vectors/word-vector-cache.js';
import { WordVectorEmbedder } from '../src/embedders/word-vectors/word-vector-embedder.js';
import { CHUNK_CHARS, corpusChunk } from './embedding-corpus.js';
import type * as Functions from './embedding-functions.js';

const quick = process.argv.includes('--quick');
const SETTINGS = quick
  ? { texts: 5_000, rounds: 3, batches: 128, batchSize: 64 }
  : { texts: 20_000, rounds: 7, batches: 512, batchSize: 64 };

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The baseline: regex tokens, a Map from word to row, the plain mean of the rows' Float32 vectors. */
async function rawAverager(): Promise<(text: string) => Float32Array> {
  const { model } = await ensureWordVectorCache(wordVectorFiles());
  const { dimension, vocabulary, vectors, scales } = model;
  const rows = new Map<string, number>();
  const matrix = new Float32Array(vectors.length);
  for (let row = vocabulary.size - 1; row >= 0; row--) {
    rows.set(vocabulary.word(row), row);
    for (let d = 0; d < dimension; d++)
      matrix[row * dimension + d] = vectors[row * dimension + d]! * scales[row]!;
  }
  const token = /[a-z0-9]+(?:['-][a-z0-9]+)*|[^\sa-z0-9]/g;
  return (text) => {
    const mean = new Float32Array(dimension);
    let count = 0;
    for (const word of text.toLowerCase().match(token) ?? []) {
      const row = rows.get(word);
      if (row === undefined) continue;
      for (let d = 0; d < dimension; d++) mean[d] = mean[d]! + matrix[row * dimension + d]!;
      count++;
    }
    for (let d = 0; d < dimension; d++) mean[d] = mean[d]! / Math.max(count, 1);
    return mean;
  };
}

/**
 * Runs baseline then subject (then subject then baseline, alternating) for `rounds`; the seconds
 * each took per round, and the cores it kept busy (this process's CPU seconds / wall seconds).
 */
async function interleave(rounds: number, baseline: () => Promise<void>, subject: () => Promise<void>) {
  const measured = {
    baseline: [] as number[],
    subject: [] as number[],
    baselineCores: [] as number[],
    subjectCores: [] as number[],
  };
  const timed = async (run: () => Promise<void>, side: 'baseline' | 'subject') => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    await run();
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - started) / 1000;
    measured[side].push(seconds);
    measured[`${side}Cores`].push((used.user + used.system) / 1e6 / seconds);
  };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      await timed(baseline, 'baseline');
      await timed(subject, 'subject');
    } else {
      await timed(subject, 'subject');
      await timed(baseline, 'baseline');
    }
  }
  return measured;
}

interface Row {
  name: string;
  baseline: string;
  baselineRate: number;
  subject: string;
  subjectRate: number;
  /** Cores the baseline and the subject kept busy (medians). */
  cores: [number, number];
  /** Median over rounds of baseline seconds / subject seconds: > 1 means the subject is faster. */
  ratio: number;
  goal: number;
}

const started = performance.now();
const loadAtStart = loadavg()[0]!;
const prepared = await prepareWordVectors();
progress(
  `cache ${prepared.path}: ${(prepared.bytes / 2 ** 20).toFixed(1)} MiB, ${prepared.converted ? `converted in ${(prepared.ms / 1000).toFixed(1)} s` : 'present'}`,
);
const texts = Array.from({ length: SETTINGS.texts }, (_, i) => corpusChunk(i));
const characters = texts.reduce((sum, text) => sum + text.length, 0);
const table: Row[] = [];

// (1) one thread: the embedder against the raw average
const loadStarted = performance.now();
const embedder = await WordVectorEmbedder.load(); // a first load in this process: prepareWordVectors only checked the file
const loadMs = performance.now() - loadStarted;
const raw = await rawAverager();
progress(
  `one thread: ${SETTINGS.rounds} rounds × ${texts.length} texts (${(characters / 2 ** 20).toFixed(1)} MiB), raw and embedder interleaved`,
);
await embedder.embed(texts.slice(0, 200)); // warm both
texts.slice(0, 200).forEach(raw);
const single = await interleave(
  SETTINGS.rounds,
  async () => {
    for (const text of texts) raw(text);
  },
  async () => {
    await embedder.embed(texts);
  },
);
table.push({
  name: 'one thread',
  baseline: 'raw tokenise + Map + mean',
  baselineRate: texts.length / median(single.baseline),
  subject: 'WordVectorEmbedder.embed',
  subjectRate: texts.length / median(single.subject),
  cores: [median(single.baselineCores), median(single.subjectCores)],
  ratio: median(single.baseline.map((seconds, round) => seconds / single.subject[round]!)),
  goal: 0.8,
});

// (2) faas local backend: 2 workers against 1
const scratch = await mkdtemp(join(tmpdir(), 'isthmus-vectors-bench-'));
const pools: Executor<typeof Functions>[] = [];
try {
  const bundle = await buildBundle({
    entry: fileURLToPath(new URL('./embedding-functions.ts', import.meta.url)),
    outDir: join(scratch, 'bundle'),
  });
  const poolOf = async (workers: number) => {
    const pool = await executor<typeof Functions>({
      backend: new LocalBackend({ maxWorkers: workers, idleTimeoutMs: 600_000 }),
      bundle,
    });
    pools.push(pool);
    return pool;
  };
  const one = await poolOf(1);
  const two = await poolOf(2);
  const batches = Array.from({ length: SETTINGS.batches }, (_, i) => ({
    first: i * SETTINGS.batchSize,
    count: SETTINGS.batchSize,
  }));
  const embedAll = async (pool: Executor<typeof Functions>, input: typeof batches) => {
    const packed = await results(pool.map('embedCorpusSlice', input));
    const bytes = packed.reduce((sum, vectors) => sum + vectors.length, 0);
    if (bytes !== input.length * SETTINGS.batchSize * embedder.dimension * 4)
      throw new Error(`got ${bytes} bytes of vectors`);
  };
  progress('faas local backend: warming the workers (each reads the cache once)');
  await embedAll(one, batches.slice(0, 2));
  await embedAll(two, batches.slice(0, 4));
  progress(
    `faas local backend: ${SETTINGS.rounds} rounds × ${batches.length} tasks of ${SETTINGS.batchSize} texts, 1 worker and 2 interleaved`,
  );
  const pooled = await interleave(
    SETTINGS.rounds,
    () => embedAll(one, batches),
    () => embedAll(two, batches),
  );
  const pooledTexts = batches.length * SETTINGS.batchSize;
  table.push({
    name: 'faas local backend',
    baseline: '1 worker',
    baselineRate: pooledTexts / median(pooled.baseline),
    subject: '2 workers',
    subjectRate: pooledTexts / median(pooled.subject),
    cores: [median(pooled.baselineCores), median(pooled.subjectCores)],
    ratio: median(pooled.baseline.map((seconds, round) => seconds / pooled.subject[round]!)),
    goal: 1.7,
  });
} finally {
  await Promise.all(pools.map((pool) => pool.close()));
  await rm(scratch, { recursive: true, force: true });
}

const cells = [
  ['case', 'baseline', 'texts/s', 'subject', 'texts/s', 'cores busy', 'ratio', 'goal', ''],
  ...table.map((row) => [
    row.name,
    row.baseline,
    row.baselineRate.toFixed(0),
    row.subject,
    row.subjectRate.toFixed(0),
    `${row.cores[0].toFixed(2)} / ${row.cores[1].toFixed(2)}`,
    `${row.ratio.toFixed(2)}×`,
    `≥ ${row.goal}×`,
    row.ratio >= row.goal ? 'PASS' : 'BELOW',
  ]),
];
const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
console.log(`embedding (texts of ~${CHUNK_CHARS} characters; ${quick ? 'quick' : 'full'} run)`);
for (const row of cells)
  console.log(
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
console.log(
  `cache: ${(prepared.bytes / 2 ** 20).toFixed(1)} MiB; load into a process: ${loadMs.toFixed(0)} ms`,
);
// 2 workers can only beat 1 by as much as the machine has idle cores: say how busy it was
// (and the table says how many cores each side got: 'cores busy', baseline / subject).
console.log(
  `machine: ${availableParallelism()} cores, load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end`,
);
progress(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
