import type { ObjectStore, PutBody, PutOptions, PutResult } from '@isthmus/storage';

/**
 * A FAULT-INJECTING FAKE around a real store: the next write whose key passes `matches` is held
 * (written, but its caller not answered) until the test releases it — a slow PUT, so that a test
 * can act between a writer's object write and its next step.
 */
export class HeldPutStore implements ObjectStore {
  #hold:
    | { matches: (key: string) => boolean; reached: (key: string) => void; released: Promise<void> }
    | undefined;

  constructor(readonly inner: ObjectStore) {}

  get url(): string {
    return this.inner.url;
  }

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

  async put(key: string, body: PutBody, options?: PutOptions): Promise<PutResult> {
    const result = await this.inner.put(key, body, options);
    const hold = this.#hold;
    if (hold?.matches(key)) {
      this.#hold = undefined;
      hold.reached(key);
      await hold.released;
    }
    return result;
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
