import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitChunks, retryingConflicts } from '../../src/commit/commit-chunks.js';
import { CommitConflictError } from '../../src/errors.js';
import { VectorTable } from '../../src/table/vector-table.js';
import { TEST_ROWS_MODEL, testBatch } from '../support/test-rows.js';

// LanceDB refuses a compaction of fragments that a delete changed after the compaction's
// version ("Retryable commit conflict … preempted by concurrent transaction Delete"). A handle
// left at an older version makes that conflict certain: its first attempt conflicts, a retry at
// the latest version commits.
describe('commit conflicts', () => {
  let dir: string;
  let url: string;
  let writer: VectorTable;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-vectors-conflicts-'));
    url = `file://${dir}/docs`;
    writer = await VectorTable.open(url, { embedder: TEST_ROWS_MODEL });
  });
  afterAll(async () => {
    writer.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function staleAfterDelete(from: number): Promise<VectorTable> {
    for (let at = 0; at < 4; at++) await commitChunks(writer, [testBatch(from + at * 10, 10)]);
    const stale = await VectorTable.open(url);
    await writer.lance.delete(`id = 'chunk-${from}'`);
    return stale;
  }

  it('are retried at the latest version until the commit goes through', async () => {
    const table = await staleAfterDelete(0);
    let calls = 0;
    const compacted = await retryingConflicts(
      table,
      { conflictBackoff: { baseMs: 1, maxMs: 5 } },
      async () => {
        if (calls++ > 0) await table.lance.checkoutLatest();
        return table.lance.optimize();
      },
    );
    expect(compacted.attempts).toBe(2);
    expect(compacted.compaction.fragmentsRemoved).toBe(4);
    expect(await writer.countRows()).toBe(39);
    table.close();
  });

  it('end in CommitConflictError when they outlast maxAttempts', async () => {
    const table = await staleAfterDelete(100);
    await expect(retryingConflicts(table, { maxAttempts: 1 }, () => table.lance.optimize())).rejects.toThrow(
      CommitConflictError,
    );
    expect(await writer.countRows()).toBe(78);
    table.close();
  });
});
