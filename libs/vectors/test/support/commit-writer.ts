// A writer process of the concurrent-writers test: commits the test rows [from, from + count) to
// a table in one commit, then prints how many of them it inserted, as JSON.
// Usage: node <commit-writer bundled by buildScript> <table-url> <from> <count>
// (S3 settings from the AWS environment).
import { commitChunks } from '../../src/commit/commit-chunks.js';
import { VectorTable } from '../../src/table/vector-table.js';
import { testBatch } from './test-rows.js';

const [url, from, count] = process.argv.slice(2);
const table = await VectorTable.open(url!);
const { inserted } = await commitChunks(table, [testBatch(Number(from), Number(count))]);
table.close();
process.stdout.write(`${JSON.stringify({ inserted })}\n`);
