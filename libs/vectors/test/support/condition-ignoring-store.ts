import type { ObjectStore, PutBody, PutOptions, PutResult } from '@isthmus/storage';

/**
 * A FAULT-INJECTING FAKE (for tests only): a real store that silently ignores `ifNoneMatch` and
 * `ifMatch` on writes, as S3-compatible stores without conditional writes do (lancedb#1077).
 * Everything else goes to the real store. Its URL is the real one's with `#conditions-ignored`.
 */
export class ConditionIgnoringStore implements ObjectStore {
  readonly url: string;

  constructor(private readonly real: ObjectStore) {
    this.url = `${real.url}#conditions-ignored`;
  }

  put(key: string, body: PutBody, options: PutOptions = {}): Promise<PutResult> {
    const { ifNoneMatch: _ignored, ifMatch: _alsoIgnored, ...rest } = options;
    return this.real.put(key, body, rest);
  }

  copy(sourceKey: string, targetKey: string, options: PutOptions = {}): Promise<PutResult> {
    const { ifNoneMatch: _ignored, ifMatch: _alsoIgnored, ...rest } = options;
    return this.real.copy(sourceKey, targetKey, rest);
  }

  get: ObjectStore['get'] = (key, options) => this.real.get(key, options);
  getStream: ObjectStore['getStream'] = (key, options) => this.real.getStream(key, options);
  head: ObjectStore['head'] = (key) => this.real.head(key);
  list: ObjectStore['list'] = (options) => this.real.list(options);
  delete: ObjectStore['delete'] = (key) => this.real.delete(key);
  deleteMany: ObjectStore['deleteMany'] = (keys) => this.real.deleteMany(keys);
  close: ObjectStore['close'] = () => this.real.close();
}
