// The process the kill -9 test kills: ingests documents into a table, one commit per finished
// unit, and right after its first commit prints `committed` and freezes its event loop, so the
// test kills it mid-ingest at a known point (tasks of other units may still be staging rows).
// Usage: node --conditions=@isthmus/source --import tsx ingest-until-first-commit.ts <source> <table>
import { ingest } from '../../src/ingest/ingest.js';

const [source, table] = process.argv.slice(2);
await ingest(source!, {
  table: table!,
  commitRows: 1,
  onProgress(progress) {
    if (progress.commits === 0) return;
    process.stdout.write('committed\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until killed
  },
});
