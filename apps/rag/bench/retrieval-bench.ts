// Retrieval quality on the labelled man-page questions: recall@5 and MRR of the default embedder
// (vector), BM25 (fts) and both fused (hybrid), over the same table in one run.
// Usage: retrieval-bench.ts [--quick]  (--quick: only the pages that answer the questions)
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildIndexes, ingest } from '@isthmus/vectors';
import { evaluateRetrieval, loadQuestions, renderManPages } from '../src/index.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(APP_DIR, '..', '..');
const questions = await loadQuestions();
const variant = values.quick ? 'quick' : 'full';
const corpus = join(ROOT, '.isthmus', 'corpus', values.quick ? 'man-answers' : 'man');
const pages = values.quick ? [...new Set(questions.flatMap((question) => question.answers))] : [];
await renderManPages(corpus, pages);
const pageCount = values.quick ? pages.length : listedPages();

const tableDir = join(ROOT, '.isthmus', 'rag', 'bench');
await rm(join(tableDir, `man-${variant}.lance`), { recursive: true, force: true });
const table = pathToFileURL(join(tableDir, `man-${variant}`)).href;
const ingested = await ingest(corpus, { table });
const indexed = await buildIndexes(table);
console.log(
  `retrieval bench (${variant}): ${pageCount} manual pages, ${ingested.chunks} chunks ingested in ${(ingested.ms / 1000).toFixed(1)} s, ` +
    `indexes ${indexed.indexes.map((index) => index.type).join(' + ')}; ${questions.length} labelled questions`,
);

const started = performance.now();
const evaluation = await evaluateRetrieval(table, questions, { k: 5 });
console.log(
  `\n${'mode'.padEnd(22)} ${'recall@5'.padStart(8)} ${'MRR'.padStart(6)} ${'top-1'.padStart(6)} ${'missed'.padStart(7)}`,
);
const NAMES = { vector: 'vector (word vectors)', fts: 'fts (BM25)', hybrid: 'hybrid (RRF)' } as const;
for (const metrics of evaluation.modes) {
  const top1 = metrics.ranks.filter((rank) => rank === 1).length;
  const missed = metrics.ranks.filter((rank) => rank === undefined).length;
  console.log(
    `${NAMES[metrics.mode].padEnd(22)} ${metrics.recallAtK.toFixed(3).padStart(8)} ${metrics.mrr.toFixed(3).padStart(6)} ${String(top1).padStart(6)} ${String(missed).padStart(7)}`,
  );
}
const vector = evaluation.modes.find((metrics) => metrics.mode === 'vector')!;
const fts = evaluation.modes.find((metrics) => metrics.mode === 'fts')!;
const hybrid = evaluation.modes.find((metrics) => metrics.mode === 'hybrid')!;
console.log(
  `\nratios in this run: hybrid/BM25 MRR ${(hybrid.mrr / fts.mrr).toFixed(2)}, vector/BM25 MRR ${(vector.mrr / fts.mrr).toFixed(2)}; ` +
    `${evaluation.modes.length * questions.length} searches in ${((performance.now() - started) / 1000).toFixed(1)} s; table ${table}`,
);

/** Pages of the corpus list (apps/rag/corpus/man-pages.txt). */
function listedPages(): number {
  return readFileSync(join(APP_DIR, 'corpus', 'man-pages.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .reduce((sum, line) => sum + line.trim().split(/\s+/).length - 1, 0);
}
