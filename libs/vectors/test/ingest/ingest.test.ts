import { executor, LocalBackend } from '@isthmus/faas';
import { type SampleStore, sampleStore } from '@isthmus/fixtures';
import { openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DimensionMismatchError, EmbedderMismatchError, InvalidArgumentError } from '../../src/errors.js';
import type * as VectorFunctions from '../../src/functions/vector-functions.js';
import { vectorFunctionsBundle } from '../../src/functions/vector-functions-bundle.js';
import { type IngestProgress, ingest } from '../../src/ingest/ingest.js';
import { stagingOf } from '../../src/ingest/staging.js';
import { locateTable } from '../../src/table/table-location.js';
import { VectorTable } from '../../src/table/vector-table.js';
import { expectedChunkIds } from '../support/expected-chunks.js';
import { type TablePlace, tablePlace } from '../support/table-places.js';
import { TEST_ROWS_MODEL } from '../support/test-rows.js';

const s3 = inject('s3');

async function tableIds(url: string): Promise<string[]> {
  const table = await VectorTable.open(url, { s3 });
  try {
    return (await table.lance.query().select(['id']).toArray()).map((row) => row.id as string);
  } finally {
    table.close();
  }
}

// The sample documents (Markdown, HTML, text, JSONL, CSV) embedded with the default word vectors
// by the local worker pool into a table on each store; then again, which writes nothing.
describe.each(['file', 's3'] as const)('ingest on %s with the local backend', (kind) => {
  let documents: SampleStore;
  let place: TablePlace;
  let source: string;
  let expected: Set<string>;
  beforeAll(async () => {
    documents = await sampleStore(kind, ['documents'], s3);
    place = await tablePlace(kind, s3, 'ingest');
    source = `${documents.store.url}/documents`;
    expected = await expectedChunkIds(source, s3);
  });
  afterAll(async () => {
    await documents.dispose();
    await place.dispose();
  });

  it('commits every chunk once, and a re-run writes nothing in one commit', async () => {
    const table = `${place.database}/docs`;
    const progress: IngestProgress[] = [];
    const report = await ingest(source, {
      table,
      s3,
      commitRows: 1, // a commit per finished unit
      onProgress: (p) => progress.push(p),
    });
    expect(report).toMatchObject({
      units: 5,
      chunks: expected.size,
      inserted: expected.size,
      alreadyPresent: 0,
    });
    expect(report.commits).toBe(report.units);
    const ids = await tableIds(table);
    expect(ids.length).toBe(expected.size);
    expect(new Set(ids)).toEqual(expected);
    expect(progress.at(-1)).toEqual({
      units: 5,
      unitsDone: 5,
      chunks: expected.size,
      rowsCommitted: expected.size,
      commits: report.commits,
    });

    const staging = openStore(stagingOf(locateTable(table, { s3 })).url, { s3 });
    const left = [];
    for await (const entry of staging.list()) left.push(entry);
    expect(left).toEqual([]);

    const again = await ingest(source, { table, s3 }); // default commitRows: all units' rows in one commit
    expect(again).toMatchObject({
      chunks: expected.size,
      inserted: 0,
      alreadyPresent: expected.size,
      commits: 1,
    });
    expect((await tableIds(table)).length).toBe(expected.size);

    // the five commits' fragments compacted into one by the compactTable function on a worker
    const ex = await executor<typeof VectorFunctions>({
      backend: new LocalBackend({ env: place.env, maxWorkers: 1 }),
      bundle: await vectorFunctionsBundle(),
    });
    try {
      const compacted = await ex.call('compactTable', { table }).result();
      expect(compacted).toMatchObject({ fragmentsRemoved: 5, fragmentsAdded: 1, attempts: 1 });
    } finally {
      await ex.close();
    }
    expect(new Set(await tableIds(table))).toEqual(expected);
  });

  it('compacts in the background as a function every compactEvery commits', async () => {
    const table = `${place.database}/compacted`;
    const report = await ingest(source, { table, s3, commitRows: 1, compactEvery: 2 });
    expect(report).toMatchObject({ commits: 5, compactions: 2, inserted: expected.size });
    const ids = await tableIds(table);
    expect(ids.length).toBe(expected.size);
    expect(new Set(ids)).toEqual(expected);
    const opened = await VectorTable.open(table, { s3 });
    try {
      // five commits of one fragment each; the compactions after commits 2 and 4 merged what they saw
      expect((await opened.lance.stats()).fragmentStats.numFragments).toBeLessThan(5);
    } finally {
      opened.close();
    }
    await expect(ingest(source, { table, s3, compactEvery: 0 })).rejects.toThrow(InvalidArgumentError);
  });

  it('refuses a source with no documents instead of reporting an empty success', async () => {
    await expect(
      ingest(`${documents.store.url}/no-such-folder/`, { table: `${place.database}/none`, s3 }),
    ).rejects.toThrow(/no documents under .*no-such-folder/);
  });

  it('refuses a table of another dimension or model before any task runs', async () => {
    const eightDims = `${place.database}/eight`;
    (await VectorTable.open(eightDims, { embedder: TEST_ROWS_MODEL, s3 })).close();
    await expect(ingest(source, { table: eightDims, s3 })).rejects.toThrow(DimensionMismatchError);
    const otherModel = `${place.database}/other-model`;
    (
      await VectorTable.open(otherModel, { embedder: { modelId: 'another-model', dimension: 100 }, s3 })
    ).close();
    await expect(ingest(source, { table: otherModel, s3 })).rejects.toThrow(EmbedderMismatchError);
    expect(await tableIds(eightDims)).toEqual([]);
  });
});

describe('ingest stopped by its signal', () => {
  let documents: SampleStore;
  let place: TablePlace;
  let source: string;
  let expected: Set<string>;
  beforeAll(async () => {
    documents = await sampleStore('file', ['documents'], s3);
    place = await tablePlace('file', s3, 'aborted');
    source = `${documents.store.url}/documents`;
    expected = await expectedChunkIds(source);
  });
  afterAll(async () => {
    await documents.dispose();
    await place.dispose();
  });

  it('stops when its signal aborts, and a later run completes the table', async () => {
    const table = `${place.database}/docs`;
    const controller = new AbortController();
    const aborted = ingest(source, {
      table,
      s3,
      commitRows: 1,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.unitsDone === 1) controller.abort(new Error('enough'));
      },
    });
    await expect(aborted).rejects.toThrow(/enough|cancel/);
    expect((await tableIds(table)).length).toBeLessThan(expected.size);
    const completed = await ingest(source, { table, s3 });
    expect(completed.inserted + completed.alreadyPresent).toBe(expected.size);
    expect(new Set(await tableIds(table))).toEqual(expected);
  });
});
