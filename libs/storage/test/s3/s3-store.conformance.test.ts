import { createUniqueBucket } from '@isthmus/services';
import { openStore } from '@isthmus/storage';
import { describeObjectStoreConformance } from '@isthmus/storage/testing';
import { inject } from 'vitest';

describeObjectStoreConformance('s3:// (Ceph RGW)', {
  async open() {
    const s3 = inject('s3');
    const bucket = await createUniqueBucket(s3, 'conformance');
    // 5 MiB parts above 5 MiB: the 12 MiB large-object test is a three-part multipart upload.
    return openStore(`s3://${bucket}/under/a/prefix`, {
      s3: { ...s3, partSize: 5 * 1024 * 1024, multipartThreshold: 5 * 1024 * 1024 },
    });
  },
});
