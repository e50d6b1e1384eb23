import { type Dataset, type OpenDatasetOptions, openDataset } from '@isthmus/partition';
import type { S3Flags } from '../storage/open.js';

/** Options every `isthmus partition` subcommand shares. */
export interface DatasetFlags extends S3Flags {
  format?: string;
  reindex?: boolean;
}

/** Opens a dataset for a command, with the group's S3 flags. */
export function openCommandDataset(
  url: string,
  flags: DatasetFlags,
  extra: Pick<OpenDatasetOptions, 'onProgress'> = {},
): Promise<Dataset> {
  return openDataset(url, {
    format: flags.format,
    reindex: flags.reindex,
    storeOptions: { s3: { endpoint: flags.endpoint, region: flags.region } },
    ...extra,
  });
}
