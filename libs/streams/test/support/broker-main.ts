// A broker in its own process, for tests that kill it (see `broker-process.ts`). Arguments: the
// store URL, a JSON object of further `Broker.start` options and, optionally, a stall
// `{ keyIncludes, nth }`: the store freezes (a fault-injecting `StallingStore`) once that write has
// landed, and `{ "stalled": key }` is printed. Prints its address and node id as one JSON line once
// it serves. S3 connection details come from the AWS_* environment.
import { openStore } from '@isthmus/storage';
import { Broker } from '../../src/broker/broker.js';
import { StallingStore } from './stalling-store.js';

const [url, options, stall] = process.argv.slice(2);
const store = stall ? stallingStore(JSON.parse(stall)) : url!;
const broker = await Broker.start({ store, ...JSON.parse(options ?? '{}'), report: () => {} });
process.stdout.write(`${JSON.stringify({ ...broker.address, nodeId: broker.nodeId })}\n`);
process.on('SIGTERM', () => {
  void broker.stop().then(() => process.exit(0));
});

function stallingStore({ keyIncludes, nth }: { keyIncludes: string; nth: number }): StallingStore {
  return new StallingStore(openStore(url!), {
    matches: (key) => key.includes(keyIncludes),
    nth,
    onStall: (key) => process.stdout.write(`${JSON.stringify({ stalled: key })}\n`),
  });
}
