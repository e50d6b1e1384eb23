import type { ObjectStore } from '@isthmus/storage';

/** Object requests a store served, by kind (what S3 bills). */
export interface RequestCounts {
  puts: number;
  gets: number;
  heads: number;
  lists: number;
}

/** An ObjectStore that counts the requests it passes on, for the bench's request and cost figures. */
export function countingStore(inner: ObjectStore): {
  store: ObjectStore;
  counts(): RequestCounts;
  reset(): void;
} {
  let counts: RequestCounts = { puts: 0, gets: 0, heads: 0, lists: 0 };
  const counted =
    <A extends unknown[], R>(kind: keyof RequestCounts, call: (...args: A) => R) =>
    (...args: A): R => {
      counts[kind]++;
      return call(...args);
    };
  const store: ObjectStore = {
    get url() {
      return inner.url;
    },
    get: counted('gets', (key, options) => inner.get(key, options)),
    getStream: counted('gets', (key, options) => inner.getStream(key, options)),
    head: counted('heads', (key) => inner.head(key)),
    put: counted('puts', (key, body, options) => inner.put(key, body, options)),
    list: counted('lists', (options) => inner.list(options)),
    delete: (key) => inner.delete(key),
    deleteMany: (keys) => inner.deleteMany(keys),
    copy: counted('puts', (source, target, options) => inner.copy(source, target, options)),
    close: () => inner.close(),
  };
  return {
    store,
    counts: () => ({ ...counts }),
    reset: () => {
      counts = { puts: 0, gets: 0, heads: 0, lists: 0 };
    },
  };
}
