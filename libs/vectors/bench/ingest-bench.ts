// Ingest write-path benchmark: the same Arrow batches of chunk rows written into a fresh table by a
// raw LanceDB `add()` (the baseline) and through @isthmus/vectors — `commitChunks` under the commit
// lock (the exactly-once path), and the caller's part of ingest: the Coalescer reading the Arrow IPC
// objects functions staged (written before the clock starts: functions stage while they embed, in
// parallel) and committing them with `commitChunks` — on file:// and on the local S3 server (Ceph RGW).
// Interleaved round by round; ratios of medians against the baseline of the same run.
//   node --conditions=@isthmus/source --import tsx libs/vectors/bench/ingest-bench.ts [--quick]
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUniqueBucket, type S3Endpoint, startRgw } from '@isthmus/services';
import { openStore, type S3ConnectionOptions } from '@isthmus/storage';
import { connect } from '@lancedb/lancedb';
import { Table as ArrowTable, type RecordBatch } from 'apache-arrow';
import { commitChunks } from '../src/commit/commit-chunks.js';
import { Coalescer } from '../src/ingest/coalescer.js';
import { stagingOf } from '../src/ingest/staging.js';
import { batchesToIpc, chunkBatch } from '../src/table/chunk-batch.js';
import { type ChunkRow, chunkSchema, type TableEmbedderInfo } from '../src/table/chunk-schema.js';
import { VectorTable } from '../src/table/vector-table.js';

const quick = process.argv.includes('--quick');
const SETTINGS = quick
  ? { rows: 10_000, batchRows: 5_000, rounds: 3 }
  : { rows: 100_000, batchRows: 10_000, rounds: 5 };
/** What ingest commits at once by default (`IngestOptions.commitRows`). */
const COMMIT_ROWS = 50_000;
const GOAL = 0.8;
const EMBEDDER: TableEmbedderInfo = { modelId: 'bench-random-384', dimension: 384 };

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

/** `count` random chunk rows (hex ids, random texts, random unit vectors) as batches of `batchRows`. */
function randomBatches(count: number, batchRows: number): RecordBatch[] {
  const batches: RecordBatch[] = [];
  for (let first = 0; first < count; first += batchRows) {
    const rows: ChunkRow[] = [];
    for (let at = first; at < Math.min(count, first + batchRows); at++) {
      const vector = new Float32Array(EMBEDDER.dimension);
      for (let d = 0; d < vector.length; d++) vector[d] = Math.random() * 2 - 1;
      rows.push({
        id: randomBytes(16).toString('hex'),
        text: randomBytes(300).toString('base64'),
        source: `file:///corpus/doc-${Math.floor(at / 20)}.md`,
        chunk: at % 20,
        heading: `Section ${at % 7}`,
        vector,
      });
    }
    batches.push(chunkBatch(rows, EMBEDDER));
  }
  return batches;
}

/** A store to write tables into, and the settings LanceDB and our stores need to reach it. */
interface Place {
  name: string;
  database: string;
  s3?: S3ConnectionOptions;
  storageOptions: Record<string, string>;
  dispose(): Promise<void>;
}

async function filePlace(): Promise<Place> {
  const dir = await mkdtemp(join(tmpdir(), 'isthmus-vectors-ingest-bench-'));
  return {
    name: 'file://',
    database: `file://${dir}`,
    storageOptions: {},
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

async function s3Place(endpoint: S3Endpoint): Promise<Place> {
  const bucket = await createUniqueBucket(endpoint, 'vectors-ingest-bench');
  const database = `s3://${bucket}/db`;
  const s3: S3ConnectionOptions = {
    endpoint: endpoint.endpoint,
    region: endpoint.region,
    credentials: endpoint.credentials,
  };
  const probe = await VectorTable.open(`${database}/probe`, { embedder: EMBEDDER, s3 });
  const storageOptions = probe.location.storageOptions;
  probe.close();
  // the bucket stays (the server is shared); its tables are dropped as the rounds go
  return { name: 's3:// (RGW)', database, s3, storageOptions, dispose: async () => {} };
}

/** One sample: rows per second of a write of `batches` into a fresh table. */
type Writer = (place: Place, batches: RecordBatch[], table: string) => Promise<number>;

const rawAdd: Writer = async (place, batches, name) => {
  const db = await connect(place.database, { storageOptions: place.storageOptions });
  const table = await db.createEmptyTable(name, chunkSchema(EMBEDDER));
  const rows = new ArrowTable(batches);
  const started = performance.now();
  await table.add(rows);
  const seconds = (performance.now() - started) / 1000;
  table.close();
  db.close();
  return rows.numRows / seconds;
};

const lockedCommit: Writer = async (place, batches, name) => {
  const table = await VectorTable.open(`${place.database}/${name}`, { embedder: EMBEDDER, s3: place.s3 });
  try {
    const started = performance.now();
    const result = await commitChunks(table, batches);
    const seconds = (performance.now() - started) / 1000;
    if (result.inserted !== rowCount(batches)) throw new Error(`inserted ${result.inserted} rows`);
    return result.inserted / seconds;
  } finally {
    table.close();
  }
};

const stagedCommit: Writer = async (place, batches, name) => {
  const table = await VectorTable.open(`${place.database}/${name}`, { embedder: EMBEDDER, s3: place.s3 });
  const staging = openStore(stagingOf(table.location).url, { s3: place.s3 });
  try {
    // The functions stage their batches while they embed, in parallel: not the caller's time.
    const staged = await Promise.all(
      batches.map(async (batch, at) => {
        const key = `unit-${at}.arrow`;
        await staging.put(key, batchesToIpc([batch]));
        return { key, rows: batch.numRows, chunks: batch.numRows };
      }),
    );
    const started = performance.now();
    const coalescer = new Coalescer(table, staging, COMMIT_ROWS, {});
    for (const batch of staged) await coalescer.add(batch);
    await coalescer.flush();
    const seconds = (performance.now() - started) / 1000;
    if (coalescer.totals.inserted !== rowCount(batches)) {
      throw new Error(`inserted ${coalescer.totals.inserted} rows`);
    }
    return coalescer.totals.inserted / seconds;
  } finally {
    await staging.close();
    table.close();
  }
};

function rowCount(batches: RecordBatch[]): number {
  return batches.reduce((sum, batch) => sum + batch.numRows, 0);
}

const WRITERS: { label: string; write: Writer }[] = [
  { label: 'raw LanceDB add()', write: rawAdd },
  { label: 'commitChunks (lock)', write: lockedCommit },
  { label: 'coalescer of staged', write: stagedCommit },
];

/** Every writer in turn, `rounds` times (the order rotating each round), each into a fresh table. */
async function benchPlace(place: Place, batches: RecordBatch[]): Promise<number[][]> {
  const samples = WRITERS.map(() => [] as number[]);
  const warm = randomBatches(SETTINGS.batchRows, SETTINGS.batchRows);
  for (const [at, writer] of WRITERS.entries()) await writer.write(place, warm, `warm-${at}`);
  for (let round = 0; round < SETTINGS.rounds; round++) {
    for (let step = 0; step < WRITERS.length; step++) {
      const at = (round + step) % WRITERS.length;
      samples[at]!.push(await WRITERS[at]!.write(place, batches, `t-${round}-${at}`));
    }
    progress(
      `${place.name} round ${round + 1}/${SETTINGS.rounds}: ${samples.map((s) => s.at(-1)!.toFixed(0)).join(' / ')} rows/s (load ${load()})`,
    );
    const db = await connect(place.database, { storageOptions: place.storageOptions });
    for (let at = 0; at < WRITERS.length; at++) await db.dropTable(`t-${round}-${at}`);
    db.close();
  }
  return samples;
}

const started = Date.now();
const loadBefore = load();
progress(
  `${quick ? 'quick' : 'full'} run: ${SETTINGS.rows} rows × ${EMBEDDER.dimension}-d in batches of ${SETTINGS.batchRows}, ${SETTINGS.rounds} rounds (load ${loadBefore})`,
);
const batches = randomBatches(SETTINGS.rows, SETTINGS.batchRows);
const endpoint = await startRgw();
const results: { place: string; samples: number[][] }[] = [];
for (const make of [filePlace, () => s3Place(endpoint)]) {
  const place = await make();
  try {
    results.push({ place: place.name, samples: await benchPlace(place, batches) });
  } finally {
    await place.dispose();
  }
}

console.log(
  `vectors ingest write path: ${SETTINGS.rows} rows × ${EMBEDDER.dimension}-d Float32, batches of ${SETTINGS.batchRows}, ` +
    `median of ${SETTINGS.rounds} interleaved rounds, load average ${loadBefore} → ${load()}`,
);
console.log(`  ${'store'.padEnd(13)} ${'writer'.padEnd(22)} ${'rows/s'.padStart(10)}  vs raw add()`);
for (const { place, samples } of results) {
  const baseline = median(samples[0]!);
  for (const [at, writer] of WRITERS.entries()) {
    const rate = median(samples[at]!);
    const ratio = rate / baseline;
    const verdict = at === 0 ? '' : ` (goal ≥ ${GOAL}×) ${ratio >= GOAL ? 'PASS' : 'BELOW'}`;
    console.log(
      `  ${place.padEnd(13)} ${writer.label.padEnd(22)} ${rate.toFixed(0).padStart(10)}  ${ratio.toFixed(2)}×${verdict}`,
    );
  }
}
console.log(`  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
