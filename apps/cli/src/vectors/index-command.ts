import { type BuildIndexesOptions, buildIndexes, type VectorIndexKind } from '@isthmus/vectors';
import { type Command, Option } from 'commander';
import type { CommandIo } from '../io.js';
import {
  type BackendFlags,
  s3Of,
  tableUrl,
  type VectorsFlags,
  vectorExecutor,
  withBackendOptions,
} from './vector-flags.js';

interface IndexFlags extends BackendFlags {
  vector: VectorIndexKind;
  fts: boolean;
  json?: boolean;
}

/** `isthmus vectors index <table-url>`: builds the vector and full-text indexes, here or as a function. */
export function registerIndex(group: Command, io: CommandIo, flags: () => VectorsFlags): void {
  withBackendOptions(
    group
      .command('index')
      .description('build the vector index and the BM25 full-text index (fts and hybrid search need it)')
      .argument('<table-url>', 'the table'),
  )
    .addOption(
      new Option('--vector <kind>', 'the vector index')
        .choices(['ivf_hnsw_sq', 'ivf_pq', 'none'])
        .default('ivf_hnsw_sq'),
    )
    .option('--no-fts', 'no full-text index')
    .option('--json', 'print the report as JSON')
    .action(async (table: string, options: IndexFlags) => {
      const s3 = s3Of(flags());
      // The build runs in this process for the local backend, as a function elsewhere.
      const run = options.backend === 'local' ? undefined : await vectorExecutor(options, s3);
      try {
        const report = await buildIndexes(tableUrl(table), {
          vector: options.vector,
          fts: options.fts,
          s3,
          executor: run?.executor as BuildIndexesOptions['executor'],
        });
        if (options.json) io.stdout.write(`${JSON.stringify(report)}\n`);
        else {
          for (const index of report.indexes) {
            const shape = index.partitions ? ` (${index.partitions} partitions)` : '';
            io.stdout.write(
              `${index.type.padEnd(12)} on ${index.column}${shape} in ${index.ms.toFixed(0)} ms\n`,
            );
          }
          for (const skipped of report.skipped)
            io.stdout.write(`skipped ${skipped.kind} on ${skipped.column}: ${skipped.reason}\n`);
          io.stdout.write(
            `${report.table}: ${report.rows} rows indexed in ${(report.ms / 1000).toFixed(1)} s\n`,
          );
        }
      } finally {
        await run?.close();
      }
    });
}
