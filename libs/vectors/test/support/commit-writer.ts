// A writer process of the concurrent-writers test: commits the test rows [from, from + count) to
// a table in two overlapping commits, then prints what its commits did as JSON.
// Usage: node --conditions=@isthmus/source --import tsx commit-writer.ts <table-url> <from> <count>
// (S3 settings from the AWS environment).
import { commitChunks } from '../../src/commit/commit-chunks.js';
import { VectorTable } from '../../src/table/vector-table.js';
import { testBatch } from './test-rows.js';

const [url, fromText, countText] = process.argv.slice(2);
const from = Number(fromText);
const count = Number(countText);
const table = await VectorTable.open(url!);
const half = Math.ceil(count / 2);
const first = await commitChunks(table, [testBatch(from, half + 2)]);
const second = await commitChunks(table, [testBatch(from + half - 2, count - half + 2)]);
table.close();
process.stdout.write(`${JSON.stringify({ inserted: first.inserted + second.inserted })}\n`);
