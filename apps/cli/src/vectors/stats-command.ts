import { VectorTable } from '@isthmus/vectors';
import type { Command } from 'commander';
import type { CommandIo } from '../io.js';
import { formatBytes } from '../progress-bar.js';
import { s3Of, tableUrl, type VectorsFlags } from './vector-flags.js';

/** What `isthmus vectors stats` reports of a table. */
export interface TableStats {
  table: string;
  rows: number;
  sources: number;
  modelId: string;
  dimension: number;
  version: number;
  bytes: number;
  fragments: number;
  smallFragments: number;
  indexes: { name: string; type: string; columns: string[] }[];
}

/** `isthmus vectors stats <table-url>`: rows, documents, model, version, fragments and indexes. */
export function registerStats(group: Command, io: CommandIo, flags: () => VectorsFlags): void {
  group
    .command('stats')
    .description('describe the table: rows, documents, model, version, size, fragments, indexes')
    .argument('<table-url>', 'the table')
    .option('--json', 'print the stats as JSON')
    .action(async (table: string, options: { json?: boolean }) => {
      const opened = await VectorTable.open(tableUrl(table), { s3: s3Of(flags()) });
      let stats: TableStats;
      try {
        const rows = await opened.countRows();
        const lance = opened.lance;
        const [statistics, version, indexes, sources] = await Promise.all([
          lance.stats(),
          lance.version(),
          lance.listIndices(),
          lance.query().select(['source']).toArray(),
        ]);
        stats = {
          table: opened.location.url,
          rows,
          sources: new Set(sources.map((row) => row.source as string)).size,
          modelId: opened.embedder.modelId,
          dimension: opened.embedder.dimension,
          version,
          bytes: statistics.totalBytes,
          fragments: statistics.fragmentStats.numFragments,
          smallFragments: statistics.fragmentStats.numSmallFragments,
          indexes: indexes.map((index) => ({
            name: index.name,
            type: index.indexType,
            columns: index.columns,
          })),
        };
      } finally {
        opened.close();
      }
      if (options.json) {
        io.stdout.write(`${JSON.stringify(stats)}\n`);
        return;
      }
      const lines: [string, string][] = [
        ['table', stats.table],
        ['rows', `${stats.rows} chunks of ${stats.sources} document(s)`],
        ['model', `${stats.modelId} (${stats.dimension} dimensions)`],
        ['version', String(stats.version)],
        ['size', formatBytes(stats.bytes)],
        ['fragments', `${stats.fragments} (${stats.smallFragments} small)`],
        [
          'indexes',
          stats.indexes.map((index) => `${index.type} on ${index.columns.join(',')}`).join(', ') || 'none',
        ],
      ];
      for (const [label, value] of lines) io.stdout.write(`${label.padEnd(10)} ${value}\n`);
    });
}
