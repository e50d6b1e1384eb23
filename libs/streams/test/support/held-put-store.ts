import type { PutBody, PutOptions, PutResult } from '@isthmus/storage';
import { ForwardingStore } from './forwarding-store.js';

/**
 * A FAULT-INJECTING FAKE around a real store: the next write whose key passes `matches` is held
 * (written, but its caller not answered) until the test releases it — a slow PUT, so that a test
 * can act between a writer's object write and its next step.
 */
export class HeldPutStore extends ForwardingStore {
  #hold:
    | { matches: (key: string) => boolean; reached: (key: string) => void; released: Promise<void> }
    | undefined;

  /** Holds the next write to a key passing `matches`: `reached` settles with its key once it is written. */
  holdNext(matches: (key: string) => boolean): { reached: Promise<string>; release: () => void } {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const reached = new Promise<string>((resolve) => {
      this.#hold = { matches, reached: resolve, released };
    });
    return { reached, release };
  }

  override async put(key: string, body: PutBody, options?: PutOptions): Promise<PutResult> {
    const result = await this.inner.put(key, body, options);
    const hold = this.#hold;
    if (hold?.matches(key)) {
      this.#hold = undefined;
      hold.reached(key);
      await hold.released;
    }
    return result;
  }
}
