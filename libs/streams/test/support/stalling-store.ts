import type { ObjectStore, PutBody, PutOptions, PutResult } from '@isthmus/storage';
import { ForwardingStore } from './forwarding-store.js';

/**
 * A FAULT-INJECTING FAKE around a real store: the `nth` write whose key passes `matches` lands,
 * then neither it nor any later write ever answers — a broker frozen between a durable write and
 * its acknowledgement, to be killed there. `onStall` hears the key when the trap springs.
 */
export class StallingStore extends ForwardingStore {
  #seen = 0;
  #stalled = false;

  constructor(
    inner: ObjectStore,
    readonly trap: { matches: (key: string) => boolean; nth: number; onStall: (key: string) => void },
  ) {
    super(inner);
  }

  override async put(key: string, body: PutBody, options?: PutOptions): Promise<PutResult> {
    if (this.#stalled) return never();
    const result = await this.inner.put(key, body, options);
    if (this.trap.matches(key) && ++this.#seen === this.trap.nth) {
      this.#stalled = true;
      this.trap.onStall(key);
    }
    return this.#stalled ? never() : result;
  }
}

function never(): Promise<never> {
  return new Promise(() => {});
}
