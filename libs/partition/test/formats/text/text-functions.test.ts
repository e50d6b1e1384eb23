import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, executor, LocalBackend } from '@isthmus/faas';
import { pythonJson, type SampleStore, sampleStore } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as TextFunctions from '../../../examples/text-functions.js';
import { openDataset } from '../../../src/dataset.js';
import { csvText, multiMemberGzip } from './text-files.js';

const ENTRY = fileURLToPath(new URL('../../../examples/text-functions.ts', import.meta.url));

/** The column's stats by Python's csv module, from the gzip file itself. */
const PYTHON_STATS = `
import csv, gzip, json, sys
with gzip.open(sys.argv[1], 'rt', newline='') as f:
    rows = list(csv.DictReader(f))
values = [float(row['value']) for row in rows]
print(json.dumps({'rows': len(rows), 'numbers': len(values), 'sum': sum(values), 'min': min(values), 'max': max(values)}))
`;

describe('column stats of a CSV.gz as functions on the local pool', () => {
  let dir: string;
  let fixture: SampleStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-text-functions-'));
    fixture = await sampleStore('file', [], inject('s3'));
  });
  afterAll(async () => {
    await fixture.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('map over partitions + reduce equals a sequential pass and Python', async () => {
    const bytes = multiMemberGzip(csvText(5000, 11), 4);
    await fixture.store.put('table.csv.gz', bytes);
    await writeFile(join(dir, 'table.csv.gz'), bytes);
    const python = await pythonJson<TextFunctions.ColumnStats>(PYTHON_STATS, join(dir, 'table.csv.gz'));

    const dataset = await openDataset('table.csv.gz', { store: fixture.store });
    const [whole] = await dataset.partition({ by: 'count', count: 1 });
    const { columnStats } = await import('../../../examples/text-functions.js');
    const sequential = await columnStats({ partition: whole!, column: 'value' });
    expect(sequential).toMatchObject({
      rows: python.rows,
      numbers: python.numbers,
      min: python.min,
      max: python.max,
    });
    expect(sequential.sum).toBeCloseTo(python.sum, 6);

    const bundle = await buildBundle({ entry: ENTRY, outDir: join(dir, 'bundle') });
    const ex = await executor<typeof TextFunctions>({ backend: new LocalBackend({ maxWorkers: 2 }), bundle });
    try {
      for (const strategy of [
        { by: 'count' as const, count: 6 },
        { by: 'records' as const, records: 700 },
      ]) {
        const partitions = await dataset.partition(strategy);
        const inputs = partitions.map((partition) => ({ partition, column: 'value' }));
        const result = await ex.mapReduce('columnStats', inputs, 'combineStats');
        expect({ ...result, sum: undefined }, JSON.stringify(strategy)).toEqual({
          ...sequential,
          sum: undefined,
        });
        expect(result.sum).toBeCloseTo(sequential.sum, 6);
      }
    } finally {
      await ex.close();
    }
  });
});
