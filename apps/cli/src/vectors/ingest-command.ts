import { type IngestReport, ingest } from '@isthmus/vectors';
import type { Command } from 'commander';
import { parsePositiveInt } from '../arguments.js';
import type { CommandIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import {
  type BackendFlags,
  parseEmbedder,
  s3Of,
  tableUrl,
  type VectorsFlags,
  vectorExecutor,
  withBackendOptions,
} from './vector-flags.js';

interface IngestFlags extends BackendFlags {
  embedder?: ReturnType<typeof parseEmbedder>;
  maxChars?: number;
  overlap?: number;
  textField?: string;
  commitRows?: number;
  json?: boolean;
  progress?: boolean;
}

/** `isthmus vectors ingest <table-url> <source...>`: embeds documents into a table, exactly once. */
export function registerIngest(group: Command, io: CommandIo, flags: () => VectorsFlags): void {
  withBackendOptions(
    group
      .command('ingest')
      .description('chunk and embed the documents under each source into the table (created when missing)')
      .argument('<table-url>', 'the table: file:///dir/name, s3://bucket/prefix/name or a path')
      .argument('<source...>', 'folders, buckets or files of text, Markdown, HTML, JSONL or CSV'),
  )
    .option(
      '-e, --embedder <spec>',
      'the model: a kind name or a JSON spec (default word-vectors)',
      parseEmbedder,
    )
    .option('--max-chars <n>', 'characters per chunk at most (default 1200)', parsePositiveInt)
    .option('--overlap <n>', 'characters a chunk repeats of the previous one (default 150)', parsePositiveInt)
    .option('--text-field <name>', 'the text field of JSONL records and CSV columns (default text)')
    .option('--commit-rows <n>', 'rows gathered before a commit (default 50000)', parsePositiveInt)
    .option('--json', 'print the report as JSON')
    .option('--progress', 'show the progress bar even when stderr is not a terminal')
    .option('--no-progress', 'never show the progress bar')
    .action(async (table: string, sources: string[], options: IngestFlags) => {
      const s3 = s3Of(flags());
      const run = await vectorExecutor(options, s3);
      const show = options.progress ?? Boolean(io.stderr.isTTY);
      let bar: ProgressBar | undefined;
      let done = 0;
      let report: IngestReport;
      try {
        report = await ingest(sources, {
          table: tableUrl(table),
          embedder: options.embedder,
          executor: run.executor,
          chunking: {
            maxChars: options.maxChars,
            overlapChars: options.overlap,
            textField: options.textField,
          },
          commitRows: options.commitRows,
          s3,
          onProgress: (progress) => {
            bar ??= new ProgressBar(io, `ingest on ${options.backend}`, progress.units, show, 'tasks');
            bar.advance(progress.unitsDone - done);
            done = progress.unitsDone;
          },
        });
      } finally {
        await run.close();
      }
      bar?.finish();
      if (options.json) io.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        io.stdout.write(
          `${report.table}: ${report.units} document unit(s), ${report.chunks} chunk(s), ${report.inserted} new, ` +
            `${report.alreadyPresent} already present, ${report.commits} commit(s), ${(report.ms / 1000).toFixed(1)} s\n`,
        );
      }
    });
}
