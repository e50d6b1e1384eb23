import type { ObjectStore, PutBody, PutOptions, PutResult } from '@isthmus/storage';

/**
 * An ObjectStore that forwards every call to a real one: the base of the tests' fault-injecting
 * fakes, which override the calls they disturb (usually `put`).
 */
export class ForwardingStore implements ObjectStore {
  constructor(readonly inner: ObjectStore) {}

  get url(): string {
    return this.inner.url;
  }

  put(key: string, body: PutBody, options?: PutOptions): Promise<PutResult> {
    return this.inner.put(key, body, options);
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
