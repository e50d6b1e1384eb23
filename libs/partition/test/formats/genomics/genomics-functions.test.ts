import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, executor, LocalBackend } from '@isthmus/faas';
import { runTool, SAMPLES_DIR, toolLines } from '@isthmus/fixtures';
import { openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as GenomicsFunctions from '../../../examples/genomics-functions.js';
import { openDataset } from '../../../src/dataset.js';
import type { AlignmentRecord } from '../../../src/formats/genomics/alignment-record.js';
import { temporaryDirectory } from './genomic-oracles.js';

const ENTRY = fileURLToPath(new URL('../../../examples/genomics-functions.ts', import.meta.url));

describe('alignments per reference as functions on the local pool', () => {
  let tmp: { dir: string; remove: () => Promise<void> };
  let bam: string;
  beforeAll(async () => {
    tmp = await temporaryDirectory();
    // A multi-reference BAM: the sample SAM's reads spread over its five references and `*`.
    const text = (await readFile(join(SAMPLES_DIR, 'sam/ce#1000.sam'))).toString('utf8');
    const names = ['CHROMOSOME_I', 'CHROMOSOME_II', 'CHROMOSOME_III', 'CHROMOSOME_IV', 'CHROMOSOME_V'];
    const lines = text.split('\n').filter(Boolean);
    const records = lines
      .filter((line) => !line.startsWith('@'))
      .map((line, i) => {
        const fields = line.split('\t');
        if (i % 7 === 6)
          return [fields[0], '4', '*', '0', '0', '*', '*', '0', '0', ...fields.slice(9)].join('\t');
        fields[2] = names[i % 5]!;
        fields[3] = String(((Number(fields[3]) - 1) % 4000) + 1);
        return fields.join('\t');
      });
    const sam = join(tmp.dir, 'reads.sam');
    await writeFile(sam, `${[...lines.filter((line) => line.startsWith('@')), ...records].join('\n')}\n`);
    bam = join(tmp.dir, 'store', 'reads.bam');
    await mkdir(join(tmp.dir, 'store'));
    await runTool('samtools', ['sort', '-o', bam, sam]);
    await runTool('samtools', ['index', bam]);
  });
  afterAll(() => tmp.remove());

  it('map over region and count partitions + reduce equals samtools idxstats and a sequential count', async () => {
    const store = openStore(`file://${join(tmp.dir, 'store')}`);
    const dataset = await openDataset('reads.bam', { store });
    const bundle = await buildBundle({ entry: ENTRY, outDir: join(tmp.dir, 'bundle') });
    const ex = await executor<typeof GenomicsFunctions>({
      backend: new LocalBackend({ maxWorkers: 2 }),
      bundle,
    });
    try {
      const sequential: Record<string, number> = {};
      const [whole] = await dataset.partition({ by: 'count', count: 1 });
      for await (const record of dataset.read<AlignmentRecord>(whole!)) {
        sequential[record.reference] = (sequential[record.reference] ?? 0) + 1;
      }
      const idxstats = Object.fromEntries(
        (await toolLines('samtools', ['idxstats', bam]))
          .map((line) => line.split('\t'))
          .map(([name, , mapped, unmapped]) => [name!, Number(mapped) + Number(unmapped)] as const)
          .filter(([, count]) => count > 0),
      );
      expect(Object.keys(idxstats)).toHaveLength(6);
      expect(sequential).toEqual(idxstats);
      for (const strategy of [{ by: 'region' as const }, { by: 'count' as const, count: 4 }]) {
        const partitions = await dataset.partition(strategy);
        const counts = await ex.mapReduce('alignmentsPerReference', partitions, 'addCounts');
        expect(counts, JSON.stringify(strategy)).toEqual(idxstats);
      }
      for (const name of ['CHROMOSOME_II', '*']) {
        const viewed = Number((await runTool('samtools', ['view', '-c', bam, name])).toString());
        expect(idxstats[name], `samtools view -c ${name}`).toBe(viewed);
      }
    } finally {
      await ex.close();
      await store.close();
    }
  });
});
