/**
 * A broker as its own process, so a test can kill it (-9): `node --conditions=@isthmus/source
 * --import tsx broker-main.ts '<BrokerProcessConfig as JSON>'`. It prints one JSON line when it
 * listens (`{ event: 'listening', port, nodeId }`) and one when a configured stall springs
 * (`{ event: 'stalled', key }`).
 */
import { openStore } from '@isthmus/storage';
import { Broker } from '../../src/broker/broker.js';
import type { BrokerProcessConfig } from './broker-process.js';
import { StallingStore } from './stalling-store.js';

const config = JSON.parse(process.argv[2] ?? '{}') as BrokerProcessConfig;
const print = (line: object) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
const real = openStore(config.url, { s3: config.s3 });
const stall = config.stallAfterWrite;
const store = stall
  ? new StallingStore(real, {
      matches: (key) => key.includes(stall.keyIncludes),
      nth: stall.nth,
      onStall: (key) => print({ event: 'stalled', key }),
    })
  : real;
const broker = await Broker.start({
  store,
  port: config.port,
  flushWindowMs: config.flushWindowMs,
  leaseMs: config.leaseMs,
  report: () => {},
});
print({ event: 'listening', port: broker.address.port, nodeId: broker.nodeId });
