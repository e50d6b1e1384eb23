import {
  type ObjectStore,
  PreconditionFailedError,
  type PutBody,
  type PutOptions,
  type PutResult,
} from '@isthmus/storage';

/**
 * A FAULT-INJECTING FAKE around a real store: the next `count` conditional writes whose key passes
 * `matches` take effect, but their caller is told `PreconditionFailedError` — what a writer sees
 * when its answer was lost and another writer changed the object before it could check.
 */
export class LostAnswerStore implements ObjectStore {
  #remaining = 0;
  #matches: (key: string) => boolean = () => false;

  constructor(readonly inner: ObjectStore) {}

  get url(): string {
    return this.inner.url;
  }

  /** Loses the answers of the next `count` conditional writes to keys passing `matches`. */
  loseAnswers(count: number, matches: (key: string) => boolean): void {
    this.#remaining = count;
    this.#matches = matches;
  }

  async put(key: string, body: PutBody, options?: PutOptions): Promise<PutResult> {
    const result = await this.inner.put(key, body, options);
    const conditional = options?.ifMatch !== undefined || options?.ifNoneMatch !== undefined;
    if (conditional && this.#remaining > 0 && this.#matches(key)) {
      this.#remaining--;
      throw new PreconditionFailedError(key, 'injected: the answer was lost');
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
