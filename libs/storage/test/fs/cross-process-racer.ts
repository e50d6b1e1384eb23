// A writer process for the cross-process race test: says "ready", waits for a line on stdin (so
// every process starts racing at once), joins a compare-and-swap race on one key of a file://
// store, and prints how many of its writers won and when it raced (wall-clock milliseconds).
// Run with `node --import tsx`.
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { PreconditionFailedError } from '../../src/errors.js';
import { FileObjectStore } from '../../src/fs/fs-store.js';

const [root, key, baseEtag, processId, writers] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const now = () => performance.timeOrigin + performance.now();
const store = new FileObjectStore(root);
process.stdout.write('ready\n');
await once(process.stdin, 'data');
process.stdin.pause();
const started = now();
const outcomes = await Promise.allSettled(
  Array.from({ length: Number(writers) }, (_, writer) =>
    store.put(key, `process ${processId} writer ${writer}`, { ifMatch: baseEtag }),
  ),
);
const ended = now();
for (const outcome of outcomes) {
  if (outcome.status === 'rejected' && !(outcome.reason instanceof PreconditionFailedError))
    throw outcome.reason;
}
const wins = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
process.stdout.write(`${JSON.stringify({ wins, started, ended })}\n`);
