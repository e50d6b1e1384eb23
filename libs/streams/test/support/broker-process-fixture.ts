import { afterEach, inject } from 'vitest';
import type { BrokerOptions } from '../../src/broker/broker.js';
import type { BrokerProcess } from './broker-process.js';
import { type StorePlace, storePlace } from './store-places.js';

/** Options of the broker processes of fault tests: a short flush window and a short lease. */
export const BROKER_PROCESS_OPTIONS = { flushWindowMs: 30, leaseMs: 3_000 } satisfies Partial<BrokerOptions>;

/** A test's store place and the broker processes it started, killed and disposed after each test. */
export interface BrokerProcessFixture {
  /** A fresh store place of `kind` for this test. */
  place(kind: StorePlace['kind'], label: string): Promise<StorePlace>;
  /** Registers a started broker process to be killed after the test; returns it. */
  started<T extends BrokerProcess>(broker: T): T;
}

/** Sets up (in the calling `describe`) the per-test cleanup of places and broker processes. */
export function brokerProcessFixture(): BrokerProcessFixture {
  const processes: BrokerProcess[] = [];
  const places: StorePlace[] = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((broker) => broker.kill()));
    await Promise.all(places.splice(0).map((place) => place.dispose()));
  });
  return {
    place: async (kind, label) => {
      const place = await storePlace(kind, inject('s3'), label);
      places.push(place);
      return place;
    },
    started: (broker) => {
      processes.push(broker);
      return broker;
    },
  };
}
