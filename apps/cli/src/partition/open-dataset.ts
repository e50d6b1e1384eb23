import {
  type Dataset,
  type OpenDatasetOptions,
  openDataset,
  parseStrategy,
  type Strategy,
} from '@isthmus/partition';
import { InvalidArgumentError } from 'commander';
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

/** Commander parser of `--by`: the short strategy form (`count=8`, `region=chr1`, …). */
export function parseStrategyOption(text: string): Strategy {
  try {
    return parseStrategy(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}
