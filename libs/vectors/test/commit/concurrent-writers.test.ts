import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VectorTable } from '../../src/table/vector-table.js';
import { buildScript } from '../support/build-script.js';
import { type TablePlace, tablePlace } from '../support/table-places.js';
import { TEST_ROWS_MODEL } from '../support/test-rows.js';

const run = promisify(execFile);
const WRITER_SOURCE = fileURLToPath(new URL('../support/commit-writer.ts', import.meta.url));
const WRITERS = 16;
const STRIDE = 10;
const SPAN = 40; // each writer's ids overlap the next three writers'

// 16 writer processes (plain node running a bundled script, so they start fast) each commit an
// overlapping set of chunk ids to one table at once; LanceDB alone inserts an id once per writer
// that races for it. Under the commit lock every id is present exactly once. (On file:// the same holds; it is left out to keep the suite
// fast: the lock and the commits go through the same ObjectStore and LanceDB code there.)
describe('16 concurrent writer processes on S3', () => {
  const places: TablePlace[] = [];
  let writer: string;
  beforeAll(async () => {
    writer = await buildScript(WRITER_SOURCE);
  });
  afterAll(async () => {
    await Promise.all(places.map((place) => place.dispose()));
    await rm(writer, { force: true });
  });

  it('leave every chunk in the table exactly once', { timeout: 120_000 }, async () => {
    const place = await tablePlace('s3', inject('s3'), 'writers');
    places.push(place);
    const url = `${place.database}/docs`;
    (await VectorTable.open(url, { embedder: TEST_ROWS_MODEL, s3: inject('s3') })).close();

    const writers = Array.from({ length: WRITERS }, (_, at) =>
      run(process.execPath, [writer, url, String(at * STRIDE), String(SPAN)], {
        env: { ...process.env, ...place.env },
      }),
    );
    const inserted = (await Promise.all(writers)).map(
      ({ stdout }) => (JSON.parse(stdout) as { inserted: number }).inserted,
    );

    const expected = (WRITERS - 1) * STRIDE + SPAN;
    const table = await VectorTable.open(url, { s3: inject('s3') });
    try {
      const ids = (await table.lance.query().select(['id']).toArray()).map((row) => row.id as string);
      expect(ids.length).toBe(expected);
      expect(new Set(ids).size).toBe(expected);
      expect(inserted.reduce((sum, n) => sum + n, 0)).toBe(expected);
      expect(await table.countRows()).toBe(expected);
    } finally {
      table.close();
    }
  });
});
