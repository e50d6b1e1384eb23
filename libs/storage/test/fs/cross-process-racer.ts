// A writer process for the cross-process race test: joins a compare-and-swap race on one key of
// a file:// store and prints which of its writers won. Run with `node --import tsx`.
import { PreconditionFailedError } from '../../src/errors.js';
import { FileObjectStore } from '../../src/fs/fs-store.js';

const [root, key, baseEtag, processId, writers] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const store = new FileObjectStore(root);
const outcomes = await Promise.allSettled(
  Array.from({ length: Number(writers) }, (_, writer) =>
    store.put(key, `process ${processId} writer ${writer}`, { ifMatch: baseEtag }),
  ),
);
for (const outcome of outcomes) {
  if (outcome.status === 'rejected' && !(outcome.reason instanceof PreconditionFailedError))
    throw outcome.reason;
}
process.stdout.write(JSON.stringify(outcomes.filter((outcome) => outcome.status === 'fulfilled').length));
