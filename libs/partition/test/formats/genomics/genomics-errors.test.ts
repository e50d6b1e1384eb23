import { type SampleStore, STORE_KINDS, sampleBytes, sampleStore } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { compressBgzf, inflateBgzf } from '../../../src/codecs/bgzf.js';
import { openDataset } from '../../../src/dataset.js';
import {
  CorruptDataError,
  type DataError,
  FormatMismatchError,
  InconsistentDataError,
  InvalidStrategyError,
  TrailingDataError,
  TruncatedDataError,
} from '../../../src/errors.js';

const BAM = 'bam/ecoli_nanopore.bam';

/** Offsets of the BGZF blocks of a file, from the BSIZE field of each block header. */
function blockOffsets(bytes: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = 0; at < bytes.length; at += bytes.readUInt16LE(at + 16) + 1) offsets.push(at);
  return offsets;
}

/** The error the index pass of `key` fails with. */
async function indexError(fixtures: SampleStore, key: string, format?: string): Promise<DataError> {
  const dataset = await openDataset(key, { store: fixtures.store, format });
  return dataset.index().then(
    () => expect.fail(`the index pass of ${key} succeeded`),
    (error: DataError) => error,
  );
}

describe.each(STORE_KINDS)('bad genomic input on a %s store', (kind) => {
  let fixtures: SampleStore;
  let bam: Buffer;
  let blocks: number[];
  beforeAll(async () => {
    fixtures = await sampleStore(kind, ['bam', 'vcf/1kg.vcf', 'sam'], inject('s3'));
    bam = await sampleBytes(BAM);
    blocks = blockOffsets(bam);
  });
  afterAll(() => fixtures.dispose());

  it('a BAM block whose deflate data was flipped: CorruptDataError at that block', async () => {
    const broken = Buffer.from(bam);
    const block = blocks[5]!;
    for (let i = block + 40; i < block + 60; i++) broken[i]! ^= 0x5a;
    await fixtures.store.put('bad/flipped.bam', broken);
    const error = await indexError(fixtures, 'bad/flipped.bam');
    expect(error).toBeInstanceOf(CorruptDataError);
    expect(error.offset).toBe(block);
    expect(error.message).toContain(`bad/flipped.bam at byte ${block}: BGZF block`);
  });

  it('a BAM cut in the middle of a block: TruncatedDataError at that block', async () => {
    const cutBlock = blocks[blocks.length >> 1]!;
    await fixtures.store.put('bad/cut.bam', bam.subarray(0, cutBlock + 1000));
    const error = await indexError(fixtures, 'bad/cut.bam');
    expect(error).toBeInstanceOf(TruncatedDataError);
    expect(error.message).toContain(`bad/cut.bam at byte ${cutBlock}: the data ends inside a BGZF block`);
  });

  it('a BAM whose (whole, valid) blocks end inside a record: TruncatedDataError', async () => {
    const alignments = inflateBgzf(bam, BAM);
    await fixtures.store.put(
      'bad/record-cut.bam',
      compressBgzf(alignments.subarray(0, alignments.length - 100)),
    );
    const error = await indexError(fixtures, 'bad/record-cut.bam');
    expect(error).toBeInstanceOf(TruncatedDataError);
    expect(error.message).toMatch(/^bad\/record-cut\.bam at byte \d+: the data ends inside a record/);
  });

  it('a BAM tag of an unknown type: CorruptDataError when the partition is read', async () => {
    const alignments = Buffer.from(inflateBgzf(bam, BAM));
    const tag = alignments.indexOf('RGZ343cd2783e');
    alignments[tag + 2] = 'q'.charCodeAt(0);
    await fixtures.store.put('bad/tag.bam', compressBgzf(alignments));
    const dataset = await openDataset('bad/tag.bam', { store: fixtures.store });
    const [whole] = await dataset.partition({ by: 'count', count: 1 });
    const records = async () => {
      for await (const _ of dataset.read(whole!));
    };
    await expect(records()).rejects.toThrow(
      /^bad\/tag\.bam at byte \d+: a record cannot be decoded: unknown BAM tag value type "q"$/,
    );
  });

  it('a BAM without its EOF block: TruncatedDataError at its end', async () => {
    await fixtures.store.put('bad/no-eof.bam', bam.subarray(0, bam.length - 28));
    const error = await indexError(fixtures, 'bad/no-eof.bam');
    expect(error).toBeInstanceOf(TruncatedDataError);
    expect(error.message).toBe(
      `bad/no-eof.bam at byte ${bam.length - 28}: the BGZF data does not end with the EOF block`,
    );
  });

  it('garbage after the EOF block: TrailingDataError where it starts', async () => {
    await fixtures.store.put('bad/trailing.bam', Buffer.concat([bam, Buffer.from('x'.repeat(100))]));
    const error = await indexError(fixtures, 'bad/trailing.bam');
    expect(error).toBeInstanceOf(TrailingDataError);
    expect(error.offset).toBe(bam.length);
    expect(error.message).toContain(`bad/trailing.bam at byte ${bam.length}`);
  });

  it('a declared format that is not the data: FormatMismatchError', async () => {
    await expect(openDataset(BAM, { store: fixtures.store, format: 'vcf' })).rejects.toThrow(
      FormatMismatchError,
    );
    await expect(openDataset('vcf/1kg.vcf', { store: fixtures.store, format: 'sam' })).rejects.toThrow(
      /vcf\/1kg\.vcf at byte 0: declared sam, but the data is not sam \(it looks like vcf\)/,
    );
  });

  it('a VCF line whose POS is not a number: CorruptDataError at that line', async () => {
    const text = (await sampleBytes('vcf/1kg.vcf')).toString('latin1');
    const line = text.indexOf('\n2\t', text.length >> 1) + 1;
    const broken = `${text.slice(0, line)}2\tposition${text.slice(text.indexOf('\t', line + 2))}`;
    await fixtures.store.put('bad/pos.vcf', Buffer.from(broken, 'latin1'));
    const error = await indexError(fixtures, 'bad/pos.vcf');
    expect(error).toBeInstanceOf(CorruptDataError);
    expect(error.offset).toBe(line);
    expect(error.message).toContain('POS "position" is not an integer');
  });

  it('a SAM record on a reference the header does not declare: CorruptDataError at that line', async () => {
    const text = (await sampleBytes('sam/ce#1000.sam')).toString('latin1');
    const line = text.indexOf('\n', text.length >> 1) + 1;
    const tab = text.indexOf('\t', text.indexOf('\t', line) + 1);
    const broken = `${text.slice(0, tab + 1)}CHROMOSOME_Z${text.slice(text.indexOf('\t', tab + 1))}`;
    await fixtures.store.put('bad/undeclared.sam', Buffer.from(broken, 'latin1'));
    const error = await indexError(fixtures, 'bad/undeclared.sam');
    expect(error).toBeInstanceOf(CorruptDataError);
    expect(error.offset).toBe(line);
    expect(error.message).toContain('is on CHROMOSOME_Z, which the header does not declare');
  });

  it('a .bai that disagrees with the BAM: InconsistentDataError naming the .bai', async () => {
    await fixtures.store.put('bad/other.bam', bam);
    const otherIndex = Buffer.from(await sampleBytes(`${BAM}.bai`));
    // As if made for another BAM: the pseudo-bin (37450) says one more read than there is.
    const pseudoBin = otherIndex.indexOf(Buffer.from([0x4a, 0x92, 0, 0, 2, 0, 0, 0]));
    otherIndex.writeUInt32LE(otherIndex.readUInt32LE(pseudoBin + 24) + 1, pseudoBin + 24);
    await fixtures.store.put('bad/other.bam.bai', otherIndex);
    const error = await indexError(fixtures, 'bad/other.bam');
    expect(error).toBeInstanceOf(InconsistentDataError);
    expect(error.message).toContain(
      'bad/other.bam.bai: it counts 481 records on ref000001|chr, the data has 480',
    );
  });

  it('a region on an unknown reference: InvalidStrategyError', async () => {
    const dataset = await openDataset(BAM, { store: fixtures.store });
    await expect(dataset.partition({ by: 'region', regions: ['chr9:1-100'] })).rejects.toThrow(
      InvalidStrategyError,
    );
    await expect(dataset.partition({ by: 'region', regions: ['ref000001|chr:500-100'] })).rejects.toThrow(
      /must satisfy 1 <= start <= end/,
    );
  });
});
