import { InvalidStoreUrlError } from '@isthmus/storage';
import { describe, expect, it } from 'vitest';
import { splitDatasetUrl } from '../src/dataset-url.js';

describe('splitDatasetUrl', () => {
  it.each([
    ['s3://bucket/dir/sub/reads.bam', 's3://bucket/dir/sub', 'reads.bam'],
    ['s3://bucket/reads.bam', 's3://bucket', 'reads.bam'],
    ['s3://bucket/images/astronaut.zarr/', 's3://bucket/images', 'astronaut.zarr'],
    ['file:///data/run1/sample.fastq.gz', 'file:///data/run1', 'sample.fastq.gz'],
    ['file:///sample.vcf', 'file:///', 'sample.vcf'],
    ['/data/run1/sample.vcf', '/data/run1', 'sample.vcf'],
  ])('splits %s into its store and key', (url, storeUrl, key) => {
    expect(splitDatasetUrl(url)).toEqual({ storeUrl, key });
  });

  it.each(['s3://bucket', 's3://bucket/', 'relative/path.bam', 'http://host/x.bam', 'file:///data/..'])(
    'refuses %s',
    (url) => {
      expect(() => splitDatasetUrl(url)).toThrow(InvalidStoreUrlError);
    },
  );
});
