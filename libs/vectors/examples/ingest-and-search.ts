// Embed a folder (or bucket prefix) of documents into a LanceDB table, then search it:
//   npx tsx ingest-and-search.ts <documents URL> <table URL> "<question>"
//   e.g. ./docs/ file:///tmp/isthmus-db/docs "how do I undo a commit"
import { buildIndexes, ingest, search } from '@isthmus/vectors';

const [documents, table, question] = process.argv.slice(2);
if (!documents || !table || !question) {
  throw new Error('usage: ingest-and-search.ts <documents URL> <table URL> <question>');
}

// Chunks the documents and embeds them as functions on a local worker pool (the default
// embedder: offline word vectors); a re-run writes nothing twice.
const report = await ingest(documents, {
  table,
  onProgress: (p) => process.stderr.write(`\r${p.unitsDone}/${p.units} documents, ${p.chunks} chunks`),
});
console.log(
  `\n${report.inserted} new chunks, ${report.alreadyPresent} already there, ${report.commits} commits`,
);

await buildIndexes(table); // BM25 for hybrid search; a vector index once the table is big enough
for (const hit of await search(table, question, { k: 3, mode: 'hybrid' })) {
  console.log(`${hit.score.toFixed(4)}  ${hit.source}  ${hit.heading}\n    ${hit.text.slice(0, 120)}…`);
}
