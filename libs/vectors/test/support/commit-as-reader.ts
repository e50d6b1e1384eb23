// The read-only test's writer: run as a user who may read but not write the table's folder, it
// commits rows (with the lock, then as a single writer) and prints the error code of each attempt.
// Usage: node <commit-as-reader bundled by buildScript> <table-url>
import { commitChunks } from '../../src/commit/commit-chunks.js';
import { VectorTable } from '../../src/table/vector-table.js';
import { testBatch } from './test-rows.js';

const table = await VectorTable.open(process.argv[2]!);
const codes: string[] = [];
for (const singleWriter of [false, true]) {
  try {
    await commitChunks(table, [testBatch(100, 5)], { singleWriter });
    codes.push('committed');
  } catch (error) {
    codes.push((error as { code?: string }).code ?? String(error));
  }
}
table.close();
process.stdout.write(`${JSON.stringify(codes)}\n`);
