import { type SearchMode, search } from '@isthmus/vectors';
import { type Command, Option } from 'commander';
import { parsePositiveInt } from '../arguments.js';
import type { CommandIo } from '../io.js';
import { parseEmbedder, s3Of, tableUrl, type VectorsFlags } from './vector-flags.js';

interface SearchFlags {
  k: number;
  mode: SearchMode;
  filter?: string;
  embedder?: ReturnType<typeof parseEmbedder>;
  json?: boolean;
}

/** `isthmus vectors search <table-url> <query...>`: the best-matching chunks, best first. */
export function registerSearch(group: Command, io: CommandIo, flags: () => VectorsFlags): void {
  group
    .command('search')
    .description('search the table: by the query’s embedding, by BM25, or both fused (hybrid)')
    .argument('<table-url>', 'the table')
    .argument('<query...>', 'the query (the words are joined)')
    .option('-k, --k <n>', 'hits', parsePositiveInt, 10)
    .addOption(
      new Option('-m, --mode <mode>', 'how to rank').choices(['vector', 'fts', 'hybrid']).default('vector'),
    )
    .option(
      '--filter <sql>',
      'an SQL predicate over id, source, heading, chunk (e.g. "source LIKE \'%.md\'")',
    )
    .option(
      '-e, --embedder <spec>',
      'the query’s model (default: word-vectors; must be the table’s)',
      parseEmbedder,
    )
    .option('--json', 'one JSON object per hit')
    .action(async (table: string, words: string[], options: SearchFlags) => {
      const hits = await search(tableUrl(table), words.join(' '), {
        k: options.k,
        mode: options.mode,
        filter: options.filter,
        embedder: options.embedder,
        s3: s3Of(flags()),
      });
      hits.forEach((hit, index) => {
        if (options.json) {
          io.stdout.write(`${JSON.stringify({ rank: index + 1, ...hit })}\n`);
          return;
        }
        const heading = hit.heading ? `  ${hit.heading}` : '';
        const snippet = hit.text.replace(/\s+/g, ' ').trim().slice(0, 160);
        io.stdout.write(
          `${String(index + 1).padStart(3)}  ${hit.score.toFixed(4)}  ${hit.source}#${hit.chunk}${heading}\n     ${snippet}\n`,
        );
      });
    });
}
