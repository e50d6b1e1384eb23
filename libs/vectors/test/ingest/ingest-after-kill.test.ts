import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type SampleStore, sampleStore } from '@isthmus/fixtures';
import { openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { stagingOf } from '../../src/ingest/staging.js';
import { locateTable } from '../../src/table/table-location.js';
import { VectorTable } from '../../src/table/vector-table.js';
import { expectedChunkIds } from '../support/expected-chunks.js';
import { type TablePlace, tablePlace } from '../support/table-places.js';

const SCRIPT = fileURLToPath(new URL('../support/ingest-until-first-commit.ts', import.meta.url));

async function tableIds(url: string): Promise<string[]> {
  const table = await VectorTable.open(url);
  try {
    return (await table.lance.query().select(['id']).toArray()).map((row) => row.id as string);
  } finally {
    table.close();
  }
}

describe('an ingest killed with SIGKILL after its first commit', () => {
  let documents: SampleStore;
  let place: TablePlace;
  beforeAll(async () => {
    documents = await sampleStore('file', ['documents'], inject('s3'));
    place = await tablePlace('file', inject('s3'), 'killed');
  });
  afterAll(async () => {
    await documents.dispose();
    await place.dispose();
  });

  it('is completed by a re-run: every chunk present exactly once', async () => {
    const source = `${documents.store.url}/documents`;
    const table = `${place.database}/docs`;
    const expected = await expectedChunkIds(source);

    const child = spawn(
      process.execPath,
      ['--conditions=@isthmus/source', '--import', 'tsx', SCRIPT, source, table],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      output += text;
      if (output.includes('committed')) child.kill('SIGKILL');
    });
    const [code, signal] = await once(child, 'exit');
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });

    const before = await tableIds(table);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(expected.size);

    const report = await ingest(source, { table });
    expect(report.inserted).toBe(expected.size - before.length);
    const after = await tableIds(table);
    expect(after.length).toBe(expected.size);
    expect(new Set(after)).toEqual(expected);

    const staging = openStore(stagingOf(locateTable(table)).url);
    const left = [];
    for await (const entry of staging.list()) left.push(entry.kind === 'object' ? entry.key : entry.prefix);
    // staged objects of the killed run were rewritten by the re-run and deleted after its commit
    expect(left).toEqual([]);
  });
});
