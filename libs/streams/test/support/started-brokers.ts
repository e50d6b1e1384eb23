import { Broker, type BrokerOptions } from '../../src/broker/broker.js';
import type { StorePlace } from './store-places.js';

/** Brokers started on one store for a test, the lines they reported, and cleanup. */
export interface StartedBrokers {
  brokers: Broker[];
  /** `host:port` of every broker, comma-separated: a client's bootstrap list. */
  bootstrap: string;
  /** What the brokers reported (closed connections, handler failures). */
  reports: string[];
  stop(): Promise<void>;
}

/** Starts `count` brokers on `place`, with a short flush window so tests run fast. */
export async function startBrokers(
  place: StorePlace,
  count = 1,
  options: Partial<BrokerOptions> = {},
): Promise<StartedBrokers> {
  const reports: string[] = [];
  const brokers: Broker[] = [];
  for (let index = 0; index < count; index += 1) {
    brokers.push(
      await Broker.start({
        store: place.url,
        s3: place.s3,
        flushWindowMs: 20,
        report: (line) => reports.push(line),
        ...options,
      }),
    );
  }
  return {
    brokers,
    bootstrap: brokers.map((broker) => `${broker.address.host}:${broker.address.port}`).join(','),
    reports,
    stop: async () => {
      await Promise.all(brokers.map((broker) => broker.stop()));
    },
  };
}
