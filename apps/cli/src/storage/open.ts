import { type ObjectStore, openStore } from '@isthmus/storage';

/** S3 connection flags shared by every `isthmus storage` subcommand. */
export interface S3Flags {
  endpoint?: string;
  region?: string;
}

/** Opens a store for a command; credentials come from the standard AWS environment only. */
export function openCommandStore(storeUrl: string, flags: S3Flags): ObjectStore {
  return openStore(storeUrl, { s3: { endpoint: flags.endpoint, region: flags.region } });
}

/** Runs `use` with each store opened, closing them all afterwards. */
export async function withStores<T>(
  urls: string[],
  flags: S3Flags,
  use: (...stores: ObjectStore[]) => Promise<T>,
): Promise<T> {
  const stores = urls.map((url) => openCommandStore(url, flags));
  try {
    return await use(...stores);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
}
