import { createHash } from 'node:crypto';

/** An S3 etag without the quotes servers wrap it in. */
export function unquoteEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/** The etag S3 gives a single-PUT object: the hex MD5 of its bytes. */
export function md5Etag(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}
