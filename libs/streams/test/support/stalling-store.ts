import type { ObjectStore, PutBody, PutOptions, PutResult } from '@isthmus/storage';

/**
 * A FAULT-INJECTING FAKE around a real store: the `nth` write whose key passes `matches` lands,
 * then neither it nor any later write ever answers — a broker frozen between a durable write and
 * its acknowledgement, to be killed there. `onStall` hears the key when the trap springs.
 */
export class StallingStore implements ObjectStore {
  #seen = 0;
  #stalled = false;

  constructor(
    readonly inner: ObjectStore,
    readonly trap: { matches: (key: string) => boolean; nth: number; onStall: (key: string) => void },
  ) {}

  get url(): string {
    return this.inner.url;
  }

  async put(key: string, body: PutBody, options?: PutOptions): Promise<PutResult> {
    if (this.#stalled) return never();
    const result = await this.inner.put(key, body, options);
    if (this.trap.matches(key) && ++this.#seen === this.trap.nth) {
      this.#stalled = true;
      this.trap.onStall(key);
    }
    return this.#stalled ? never() : result;
  }

  get: ObjectStore['get'] = (key, options) => this.inner.get(key, options);
  getStream: ObjectStore['getStream'] = (key, options) => this.inner.getStream(key, options);
  head: ObjectStore['head'] = (key) => this.inner.head(key);
  list: ObjectStore['list'] = (options) => this.inner.list(options);
  delete: ObjectStore['delete'] = (key) => this.inner.delete(key);
  deleteMany: ObjectStore['deleteMany'] = (keys) => this.inner.deleteMany(keys);
  copy: ObjectStore['copy'] = (source, target, options) => this.inner.copy(source, target, options);
  close: ObjectStore['close'] = () => this.inner.close();
}

function never(): Promise<never> {
  return new Promise(() => {});
}
