import { execFile } from 'node:child_process';
import { chmod, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commitChunks } from '../../src/commit/commit-chunks.js';
import { compactTable } from '../../src/commit/compact-table.js';
import { PROBE_PREFIX, probeConditionalPut } from '../../src/commit/conditional-put-probe.js';
import { NoConditionalPutError, ReadOnlyStoreError } from '../../src/errors.js';
import { VectorTable } from '../../src/table/vector-table.js';
import { buildScript } from '../support/build-script.js';
import { ConditionIgnoringStore } from '../support/condition-ignoring-store.js';
import { type TablePlace, tablePlace } from '../support/table-places.js';
import { TEST_ROWS_MODEL, testBatch } from '../support/test-rows.js';

const s3 = inject('s3');
const run = promisify(execFile);
const NOBODY = 65534;

async function distinctIds(table: VectorTable): Promise<number> {
  await table.lance.checkoutLatest();
  const rows = await table.lance.query().select(['id']).toArray();
  return new Set(rows.map((row) => row.id as string)).size;
}

describe.each(['file', 's3'] as const)('commits on %s', (kind) => {
  let place: TablePlace;
  beforeAll(async () => {
    place = await tablePlace(kind, s3, 'commit');
  });
  afterAll(() => place.dispose());

  it('finds that the store honours conditional PUTs, and leaves no probe behind', async () => {
    const store = openStore(place.database, { s3 });
    expect(await probeConditionalPut(store)).toBe(true);
    const left = [];
    for await (const entry of store.list({ prefix: PROBE_PREFIX })) left.push(entry);
    expect(left).toEqual([]);
    await store.close();
  });

  it('writes each chunk once however often it is committed, in one table version per commit', async () => {
    const table = await VectorTable.open(`${place.database}/once`, { embedder: TEST_ROWS_MODEL, s3 });
    try {
      const first = await commitChunks(table, [testBatch(0, 40)]);
      expect(first).toMatchObject({ inserted: 40, alreadyPresent: 0, attempts: 1 });
      const second = await commitChunks(table, [testBatch(30, 20), testBatch(45, 10)]);
      // 30..49 and 45..54: ids 40..54 are new (15), 30..39 present (10), 45..49 given twice here
      expect(second.inserted).toBe(15);
      expect(second.version).toBe(first.version + 1);
      expect(await table.countRows()).toBe(55);
      expect(await distinctIds(table)).toBe(55);
    } finally {
      table.close();
    }
  });

  it('compacts many small commits into fewer fragments under the lock, keeping every row', async () => {
    const url = `${place.database}/compact`;
    const table = await VectorTable.open(url, { embedder: TEST_ROWS_MODEL, s3 });
    try {
      for (let at = 0; at < 5; at++) await commitChunks(table, [testBatch(at * 10, 10)]);
      const report = await compactTable(url, { s3 });
      expect(report.fragmentsRemoved).toBe(5);
      expect(report.fragmentsAdded).toBe(1);
      expect(await table.countRows()).toBe(50);
    } finally {
      table.close();
    }
  });
});

describe('a store that ignores conditional PUTs (fault-injecting fake)', () => {
  let place: TablePlace;
  beforeAll(async () => {
    place = await tablePlace('file', s3, 'no-cas');
  });
  afterAll(() => place.dispose());

  it('is detected by the probe, refused for concurrent writers, and accepted for a single writer', async () => {
    const fake = new ConditionIgnoringStore(openStore(place.database));
    expect(await probeConditionalPut(fake)).toBe(false);
    const table = await VectorTable.open(`${place.database}/docs`, { embedder: TEST_ROWS_MODEL });
    try {
      await expect(commitChunks(table, [testBatch(0, 5)], { lockStore: fake })).rejects.toThrow(
        NoConditionalPutError,
      );
      expect(await table.countRows()).toBe(0);
      const alone = await commitChunks(table, [testBatch(0, 5)], { lockStore: fake, singleWriter: true });
      expect(alone.inserted).toBe(5);
      expect(await table.countRows()).toBe(5);
    } finally {
      table.close();
    }
  });
});

describe('a read-only store', () => {
  it('a folder the writer may only read: commits fail with ReadOnlyStoreError', async () => {
    // tests run as root, whom permissions do not stop: the writer runs as the unprivileged `nobody`
    const place = await tablePlace('file', s3, 'read-only');
    const url = `${place.database}/docs`;
    const table = await VectorTable.open(url, { embedder: TEST_ROWS_MODEL });
    await commitChunks(table, [testBatch(0, 5)]);
    await chmod(fileURLToPath(place.database), 0o755);
    const script = await buildScript(
      fileURLToPath(new URL('../support/commit-as-reader.ts', import.meta.url)),
    );
    try {
      const { stdout } = await run(process.execPath, [script, url], { uid: NOBODY, gid: NOBODY });
      expect(JSON.parse(stdout)).toEqual(['ERR_VECTORS_READ_ONLY_STORE', 'ERR_VECTORS_READ_ONLY_STORE']);
      expect(await table.countRows()).toBe(5);
    } finally {
      table.close();
      await rm(script, { force: true });
      await place.dispose();
    }
  });

  it('a bucket whose policy denies writes: commits fail with ReadOnlyStoreError', async () => {
    const place = await tablePlace('s3', s3, 'read-only');
    const url = `${place.database}/docs`;
    const writable = await VectorTable.open(url, { embedder: TEST_ROWS_MODEL, s3 });
    await commitChunks(writable, [testBatch(0, 5)]);
    writable.close();
    const bucket = new URL(place.database).hostname;
    const client = new S3Client({ ...s3, forcePathStyle: true });
    await client.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: ['s3:PutObject', 's3:DeleteObject'],
              Resource: [`arn:aws:s3:::${bucket}/*`],
            },
          ],
        }),
      }),
    );
    client.destroy();
    const table = await VectorTable.open(url, { s3 });
    try {
      await expect(commitChunks(table, [testBatch(5, 5)])).rejects.toThrow(ReadOnlyStoreError);
      await expect(commitChunks(table, [testBatch(5, 5)], { singleWriter: true })).rejects.toThrow(
        ReadOnlyStoreError,
      );
      expect(await table.countRows()).toBe(5);
    } finally {
      table.close();
    }
  });
});
