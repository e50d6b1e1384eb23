import { createUniqueBucket } from '@isthmus/services';
import { inject } from 'vitest';
import { openStore } from '../../src/open-store.js';
import { describeObjectStoreConformance } from '../../src/testing/object-store-conformance.js';

describeObjectStoreConformance('s3:// (Ceph RGW)', {
  // 5 MiB parts above 5 MiB: a 12 MiB body is a three-part multipart upload.
  largeObjectBytes: 12 * 1024 * 1024,
  async open() {
    const s3 = inject('s3');
    const bucket = await createUniqueBucket(s3, 'conformance');
    const store = openStore(`s3://${bucket}/under/a/prefix`, {
      s3: { ...s3, partSize: 5 * 1024 * 1024, multipartThreshold: 5 * 1024 * 1024 },
    });
    return { store, dispose: () => store.close() };
  },
});
