import { describe, expect, it } from 'vitest';
import { FileObjectStore } from '../src/fs/fs-store.js';
import { openStore } from '../src/open-store.js';
import { S3ObjectStore } from '../src/s3/s3-store.js';

describe('openStore', () => {
  it('opens s3:// URLs with bucket and prefix', async () => {
    const store = openStore('s3://my-bucket/some/prefix/', { s3: { endpoint: 'http://127.0.0.1:1' } });
    expect(store).toBeInstanceOf(S3ObjectStore);
    expect(store).toMatchObject({
      bucket: 'my-bucket',
      prefix: 'some/prefix',
      url: 's3://my-bucket/some/prefix',
    });
    await store.close();
  });

  it('opens file:// URLs and absolute paths', () => {
    expect(openStore('file:///data/pfs/project')).toMatchObject({ root: '/data/pfs/project' });
    expect(openStore('/data/pfs/../pfs/project')).toBeInstanceOf(FileObjectStore);
    expect(openStore('/data/pfs/../pfs/project')).toMatchObject({ root: '/data/pfs/project' });
  });

  it('rejects what it cannot open, with ERR_STORAGE_INVALID_URL', () => {
    for (const url of ['http://example.com/x', 's3:///no-bucket', 'relative/path', 'file://remote-host/x']) {
      expect(() => openStore(url)).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_INVALID_URL' }));
    }
  });

  it('refuses credentials in the URL and does not echo them', () => {
    expect(() => openStore('s3://AKIA:secret@bucket/x')).toThrow(
      expect.objectContaining({ code: 'ERR_STORAGE_INVALID_URL' }),
    );
    try {
      openStore('s3://AKIA:secret@bucket/x');
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('secret');
    }
  });
});
