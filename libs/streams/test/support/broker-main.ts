// A broker in its own process, for tests that kill it (see `broker-process.ts`). Arguments: the
// store URL and a JSON object of further `Broker.start` options; prints its address and node id as
// one JSON line once it serves. S3 connection details come from the AWS_* environment.
import { Broker } from '../../src/broker/broker.js';

const [store, options] = process.argv.slice(2);
const broker = await Broker.start({ store: store!, ...JSON.parse(options ?? '{}'), report: () => {} });
process.stdout.write(`${JSON.stringify({ ...broker.address, nodeId: broker.nodeId })}\n`);
process.on('SIGTERM', () => {
  void broker.stop().then(() => process.exit(0));
});
