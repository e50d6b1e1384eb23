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
  const store: ObjectStore = {
    get url() {
      return inner.url;
    },
    get: (key, options) => (counts.gets++, inner.get(key, options)),
    getStream: (key, options) => (counts.gets++, inner.getStream(key, options)),
    head: (key) => (counts.heads++, inner.head(key)),
    put: (key, body, options) => (counts.puts++, inner.put(key, body, options)),
    list: (options) => (counts.lists++, inner.list(options)),
    delete: (key) => inner.delete(key),
    deleteMany: (keys) => inner.deleteMany(keys),
    copy: (source, target, options) => (counts.puts++, inner.copy(source, target, options)),
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
