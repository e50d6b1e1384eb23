import { type CompactReport, compactTable } from '@isthmus/vectors';
import type { Command } from 'commander';
import type { CommandIo } from '../io.js';
import {
  type BackendFlags,
  s3Of,
  tableUrl,
  type VectorsFlags,
  vectorExecutor,
  withBackendOptions,
} from './vector-flags.js';

/** `isthmus vectors compact <table-url>`: merges small fragments and prunes old versions. */
export function registerCompact(group: Command, io: CommandIo, flags: () => VectorsFlags): void {
  withBackendOptions(
    group
      .command('compact')
      .description('compact the table (merge small fragments, prune old versions) under its commit lock')
      .argument('<table-url>', 'the table'),
  )
    .option('--json', 'print the report as JSON')
    .action(async (table: string, options: BackendFlags & { json?: boolean }) => {
      const s3 = s3Of(flags());
      const url = tableUrl(table);
      let report: CompactReport;
      if (options.backend === 'local') report = await compactTable(url, { s3 });
      else {
        // As a function (the `compactTable` of the vector functions), e.g. next to the data.
        const run = await vectorExecutor(options, s3);
        try {
          report = (await run.executor
            .call('compactTable' as never, { table: url } as never)
            .result()) as CompactReport;
        } finally {
          await run.close();
        }
      }
      if (options.json) io.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        io.stdout.write(
          `${url}: ${report.fragmentsRemoved} fragment(s) merged into ${report.fragmentsAdded}, ` +
            `${report.versionsRemoved} old version(s) removed, now version ${report.version}\n`,
        );
      }
    });
}
