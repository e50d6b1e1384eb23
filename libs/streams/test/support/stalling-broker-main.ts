// A broker in its own process whose store freezes at a chosen write, for tests that kill it there
// (see `stalling-broker-process.ts`). Arguments: the store URL, a JSON object of further
// `Broker.start` options, and the stall `{ keyIncludes, nth }`. Prints its address and node id as
// one JSON line once it serves, and `{ "stalled": key }` when the stall springs. S3 connection
// details come from the AWS_* environment.
import { openStore } from '@isthmus/storage';
import { Broker } from '../../src/broker/broker.js';
import { StallingStore } from './stalling-store.js';

const [url, options, stall] = process.argv.slice(2);
const { keyIncludes, nth } = JSON.parse(stall!) as { keyIncludes: string; nth: number };
const store = new StallingStore(openStore(url!), {
  matches: (key) => key.includes(keyIncludes),
  nth,
  onStall: (key) => process.stdout.write(`${JSON.stringify({ stalled: key })}\n`),
});
const broker = await Broker.start({ store, ...JSON.parse(options ?? '{}'), report: () => {} });
process.stdout.write(`${JSON.stringify({ ...broker.address, nodeId: broker.nodeId })}\n`);
