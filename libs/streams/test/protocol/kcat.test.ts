import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../src/protocol/api-keys.js';
import { Compression } from '../../src/protocol/compression.js';
import {
  decodeRecords,
  encodeBatch,
  parseBatch,
  parseBatches,
  verifyBatch,
} from '../../src/protocol/record-batch.js';
import { RecordingBroker } from './support/recording-broker.js';

const run = promisify(execFile);
/** kcat's codec names, by codec number. */
const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
let broker: RecordingBroker | undefined;

afterEach(async () => {
  await broker?.stop();
  broker = undefined;
});

/** Runs Debian's kcat (librdkafka 2.0.2) against `broker` with `input` on stdin. */
async function kcat(args: string[], input = ''): Promise<string> {
  const child = run('kcat', ['-b', broker?.address ?? '', ...args], { timeout: 20_000 });
  child.child.stdin?.end(input);
  return (await child).stdout;
}

describe('frames and codecs against kcat (librdkafka 2.0.2)', () => {
  it('answer its ApiVersions and Metadata requests so that it lists the topic we describe', async () => {
    broker = await RecordingBroker.start('orders', 3);
    const listing = await kcat(['-L', '-t', 'orders']);
    expect(listing).toContain('1 brokers:');
    expect(listing).toContain('topic "orders" with 3 partitions');
    const [first, ...rest] = broker.requests;
    expect(first?.header).toMatchObject({ apiKey: ApiKey.ApiVersions, apiVersion: 3, clientId: 'rdkafka' });
    expect(first?.body).toEqual({
      clientSoftwareName: 'librdkafka',
      clientSoftwareVersion: expect.stringMatching(/^2\./),
    });
    expect(rest.some((request) => request.header.apiKey === ApiKey.Metadata)).toBe(true);
  });

  for (const codec of CODEC_NAMES) {
    it(`decode the ${codec} record batches it produces`, async () => {
      broker = await RecordingBroker.start('orders');
      const lines = Array.from({ length: 200 }, (_, i) => `message ${i} ${'x'.repeat(i % 7)}`);
      await kcat(
        ['-P', '-t', 'orders', '-p', '0', '-K', ':', '-z', codec, '-X', 'linger.ms=100'],
        lines.map((line, i) => `key${i}:${line}`).join('\n'),
      );
      const produces = broker.requests.filter((request) => request.header.apiKey === ApiKey.Produce);
      expect(produces.length).toBeGreaterThan(0);
      const values: string[] = [];
      const keys: string[] = [];
      const codecs = new Set<number>();
      for (const { body } of produces) {
        const [topic] = (body as { topicData: Array<{ partitionData: Array<{ records: Uint8Array }> }> })
          .topicData;
        for (const { records } of topic?.partitionData ?? []) {
          for (const batch of parseBatches(records)) {
            verifyBatch(batch);
            codecs.add(batch.compression);
            for (const record of await decodeRecords(batch)) {
              keys.push(Buffer.from(record.key ?? []).toString());
              values.push(Buffer.from(record.value ?? []).toString());
            }
          }
        }
      }
      // librdkafka sends a batch uncompressed when compressing does not shrink it (a lone record)
      expect([...codecs].filter((used) => used !== Compression.None)).toEqual(
        codec === 'none' ? [] : [CODEC_NAMES.indexOf(codec)],
      );
      expect(values).toEqual(lines);
      expect(keys).toEqual(lines.map((_, i) => `key${i}`));
    });
  }

  for (const [codec, compression] of Object.entries(Compression)) {
    it(`serve fetches of batches we compress with ${codec} that it consumes`, async () => {
      broker = await RecordingBroker.start('orders');
      const values = Array.from({ length: 300 }, (_, i) => `value ${i} ${'y'.repeat(i % 11)}`);
      for (const [index, from] of [0, 100, 250].entries()) {
        const to = [100, 250, 300][index] as number;
        const records = values.slice(from, to).map((value, i) => ({
          key: new Uint8Array(Buffer.from(`k${from + i}`)),
          value: new Uint8Array(Buffer.from(value)),
          timestamp: 1_700_000_000_000n + BigInt(from + i),
        }));
        broker.fetchable.push(
          parseBatch(await encodeBatch({ records, compression, baseOffset: BigInt(from) })),
        );
      }
      const output = await kcat([
        '-C',
        '-t',
        'orders',
        '-p',
        '0',
        '-o',
        'beginning',
        '-e',
        '-f',
        '%o %k %s\\n',
      ]);
      expect(output.trimEnd().split('\n')).toEqual(values.map((value, i) => `${i} k${i} ${value}`));
      expect(broker.requests.some((request) => request.header.apiKey === ApiKey.Fetch)).toBe(true);
    });
  }
});
