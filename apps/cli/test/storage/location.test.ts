import { describe, expect, it } from 'vitest';
import { parseRange } from '../../src/storage/cat.js';
import { parseLocation } from '../../src/storage/location.js';

describe('parseLocation', () => {
  it('splits s3 URLs into bucket store and key', () => {
    expect(parseLocation('s3://bucket/a/b.txt', 'object')).toEqual({
      storeUrl: 's3://bucket',
      key: 'a/b.txt',
      local: false,
    });
    expect(parseLocation('s3://bucket', 'prefix')).toEqual({
      storeUrl: 's3://bucket',
      key: '',
      local: false,
    });
  });

  it('opens a local object in its directory, and a local prefix as the directory', () => {
    expect(parseLocation('/data/x.fa', 'object')).toEqual({
      storeUrl: 'file:///data',
      key: 'x.fa',
      local: true,
    });
    expect(parseLocation('file:///data/dir', 'prefix')).toEqual({
      storeUrl: 'file:///data/dir',
      key: '',
      local: true,
    });
  });

  it('rejects other schemes', () => {
    expect(() => parseLocation('gs://bucket/x', 'object')).toThrow(
      expect.objectContaining({ code: 'ERR_STORAGE_INVALID_URL' }),
    );
  });
});

describe('parseRange', () => {
  it('parses inclusive, open and suffix ranges', () => {
    expect(parseRange('0-99')).toEqual({ offset: 0, length: 100 });
    expect(parseRange('10-')).toEqual({ offset: 10 });
    expect(parseRange('-5')).toEqual({ suffix: 5 });
  });

  it('rejects malformed ranges', () => {
    for (const bad of ['', '-', '5-1', 'a-b', '1-2-3']) expect(() => parseRange(bad)).toThrow();
  });
});
