import type { S3ConnectionOptions } from '@isthmus/storage';

/**
 * The part of an S3 connection that travels in a task's input: endpoint, region, addressing.
 * Credentials never do; functions take them from their runtime's environment (`AWS_ACCESS_KEY_ID`…,
 * e.g. `LocalBackend({ env })`), as `@isthmus/storage` does.
 */
export function taskConnection(s3: S3ConnectionOptions | undefined): S3ConnectionOptions | undefined {
  if (!s3) return undefined;
  const { endpoint, region, forcePathStyle } = s3;
  return JSON.parse(JSON.stringify({ endpoint, region, forcePathStyle })) as S3ConnectionOptions;
}
