// Search benchmark: index build time, indexed query latency and recall@10 against brute force
// (LanceDB's exhaustive scan, measured in the same run), and sharded search over 2 workers vs the
// one table. Clustered Float32 vectors generated here, written as Arrow batches into LanceDB.
//   node --conditions=@isthmus/source --import tsx libs/vectors/bench/search-bench.ts [--quick]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executor, LocalBackend } from '@isthmus/faas';
import type * as VectorFunctions from '../src/functions/vector-functions.js';
import { vectorFunctionsBundle } from '../src/functions/vector-functions-bundle.js';
import { buildIndexes } from '../src/indexes/build-indexes.js';
import type { VectorIndexKind } from '../src/indexes/vector-index-plan.js';
import type { SearchHit } from '../src/search/search-options.js';
import { searchVector } from '../src/search/table-queries.js';
import { searchShardsByVector } from '../src/shards/search-shards.js';
import { shardRecall } from '../src/shards/shard-recall.js';
import { shardTable } from '../src/shards/shard-table.js';
import { VectorTable } from '../src/table/vector-table.js';
import {
  clusteredVectors,
  seededRandom,
  vectorAt,
  writeFixtureTable,
} from '../test/support/vector-fixtures.js';

const quick = process.argv.includes('--quick');
const CASES = quick
  ? [{ rows: 20_000, dimension: 100 }]
  : [
      { rows: 100_000, dimension: 384 },
      { rows: 1_000_000, dimension: 100 },
    ];
const QUERIES = quick ? 50 : 200;
const KINDS: Exclude<VectorIndexKind, 'none'>[] = ['ivf_hnsw_sq', 'ivf_pq'];
const K = 10;

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const rows: string[][] = [];
const report = (...cells: string[]) => rows.push(cells);

/** p50 and p99 of durations in ms. */
function percentiles(ms: number[]): { p50: number; p99: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Runs `search` for every query, timing each; returns the hits and the durations (ms). */
async function timed(
  queries: Float32Array[],
  search: (query: Float32Array) => Promise<SearchHit[]>,
): Promise<{ hits: SearchHit[][]; ms: number[] }> {
  const hits: SearchHit[][] = [];
  const ms: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    hits.push(await search(query));
    ms.push(performance.now() - started);
  }
  return { hits, ms };
}

/** Mean |found ∩ truth| / k over the queries. */
function recall(found: SearchHit[][], truth: SearchHit[][]): number {
  let hits = 0;
  for (const [index, exact] of truth.entries()) {
    const ids = new Set(found[index]!.map((hit) => hit.id));
    hits += exact.filter((hit) => ids.has(hit.id)).length;
  }
  return hits / (truth.length * K);
}

const f = (value: number, digits = 2) => value.toFixed(digits);

/** Prints every measurement so far as one aligned table (after each case, so a long run shows results early). */
function printTable(): void {
  const header = ['case', 'measure', 'value', 'baseline', 'ratio / verdict'];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log('vectors search');
  console.log([line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n'));
}
const dir = await mkdtemp(join(tmpdir(), 'isthmus-search-bench-'));
const bundle = await vectorFunctionsBundle();
const pool = await executor<typeof VectorFunctions>({ backend: new LocalBackend({ maxWorkers: 2 }), bundle });
try {
  for (const { rows: count, dimension } of CASES) {
    const label = `${count / 1000}k × ${dimension}`;
    const url = `file://${dir}/t${count}x${dimension}`;
    progress(`${label}: generating clustered vectors and writing them in Arrow batches of 50k rows`);
    const vectors = clusteredVectors(count, dimension, { clusters: 1000, noise: 1, seed: 1 });
    const texts = Array.from({ length: count }, (_, row) => `chunk ${row}`);
    let started = performance.now();
    await writeFixtureTable(
      url,
      { modelId: 'bench', dimension },
      { vectors, texts, sources: 100 },
      undefined,
      50_000,
    );
    report(
      label,
      'write (Arrow batches, raw add)',
      `${f((performance.now() - started) / 1000, 1)} s`,
      '',
      '',
    );
    const random = seededRandom(2);
    const queries = Array.from({ length: QUERIES }, () =>
      Float32Array.from(
        vectorAt(vectors, dimension, Math.floor(random.uniform() * count)),
        (value) => value + (0.5 * random.normal()) / Math.sqrt(dimension),
      ),
    );
    const table = await VectorTable.open(url);
    try {
      progress(`${label}: brute force (exhaustive scan) × ${QUERIES}`);
      await searchVector(table, queries[0]!, { k: K, tuning: { exact: true } });
      const exact = await timed(queries, (query) =>
        searchVector(table, query, { k: K, tuning: { exact: true } }),
      );
      const brute = percentiles(exact.ms);
      report(label, 'brute force p50 / p99', `${f(brute.p50)} / ${f(brute.p99)} ms`, '', '');

      for (const kind of KINDS) {
        progress(`${label}: building ${kind}`);
        const built = await buildIndexes(url, { vector: kind, fts: false });
        const index = built.indexes[0]!;
        report(
          label,
          `${kind} build (${index.partitions} partitions${index.subVectors ? `, ${index.subVectors} sub-vectors` : ''})`,
          `${f(index.ms / 1000, 1)} s`,
          '',
          '',
        );
        await table.lance.checkoutLatest();
        await searchVector(table, queries[0]!, { k: K });
        const indexed = await timed(queries, (query) => searchVector(table, query, { k: K }));
        const latency = percentiles(indexed.ms);
        const r = recall(indexed.hits, exact.hits);
        report(
          label,
          `${kind} query p50 / p99`,
          `${f(latency.p50)} / ${f(latency.p99)} ms`,
          `brute ${f(brute.p50)} ms`,
          `${f(brute.p50 / latency.p50, 1)}× faster`,
        );
        report(label, `${kind} recall@10`, f(r, 3), 'goal ≥ 0.95', r >= 0.95 ? 'PASS' : 'BELOW');
      }
      await table.lance.dropIndex('vector_idx');
      await table.lance.checkoutLatest();

      progress(`${label}: 2 shards by blocks, searched exhaustively as functions on 2 workers`);
      started = performance.now();
      const blocks = await shardTable(url, { shards: 2, by: 'blocks', executor: pool });
      report(
        label,
        'shard by blocks (2, as functions)',
        `${f((performance.now() - started) / 1000, 1)} s`,
        '',
        '',
      );
      await searchShardsByVector(blocks, queries[0]!, { k: K, executor: pool });
      const sharded = await timed(queries, (query) =>
        searchShardsByVector(blocks, query, { k: K, executor: pool }),
      );
      const shardedLatency = percentiles(sharded.ms);
      report(
        label,
        'sharded exhaustive p50 (2 workers)',
        `${f(shardedLatency.p50)} ms`,
        `one table ${f(brute.p50)} ms`,
        `${f(brute.p50 / shardedLatency.p50)}×`,
      );
      report(label, 'sharded (blocks) recall@10', f(recall(sharded.hits, exact.hits), 3), 'exact: 1', '');

      progress(`${label}: 2 shards by k-means, probing 1`);
      started = performance.now();
      const kmeans = await shardTable(url, { shards: 2, by: 'kmeans', executor: pool });
      report(
        label,
        'shard by k-means (2, as functions)',
        `${f((performance.now() - started) / 1000, 1)} s`,
        '',
        '',
      );
      const probed = await shardRecall(kmeans, queries, { k: K, probeShards: 1, executor: pool });
      report(label, 'k-means 1 of 2 shards recall@10', f(probed.recall, 3), '', '');
    } finally {
      table.close();
    }
    printTable();
  }
} finally {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
}
