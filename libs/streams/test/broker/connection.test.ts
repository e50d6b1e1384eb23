import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiKey } from '../../src/protocol/api-keys.js';
import { decodeResponse } from '../../src/protocol/frames.js';
import { KafkaErrorCode } from '../../src/protocol/kafka-error-codes.js';
import { encodeBatch } from '../../src/protocol/record-batch.js';
import { type StartedBrokers, startBrokers } from '../support/started-brokers.js';
import { type StorePlace, storePlace } from '../support/store-places.js';
import { WireClient } from '../support/wire-client.js';

const MAX_REQUEST_BYTES = 64 * 1024;

describe('broker connections: framing, versions and bad input', () => {
  let place: StorePlace;
  let started: StartedBrokers;
  let port: number;

  /** A client that has not been disturbed: it must still be served. */
  const expectServed = async (client: WireClient) => {
    const metadata = await client.request(ApiKey.Metadata, 1, { topics: null });
    expect(metadata.brokers).toHaveLength(1);
  };

  beforeAll(async () => {
    place = await storePlace('file', inject('s3'), 'connection');
    started = await startBrokers(place, 1, { maxRequestBytes: MAX_REQUEST_BYTES });
    port = started.brokers[0]!.address.port;
  });
  afterAll(async () => {
    await started?.stop();
    await place?.dispose();
  });

  it('ApiVersions v0-3 list every served API with the versions kafkajs and librdkafka pick', async () => {
    const client = await WireClient.connect(port);
    for (const version of [0, 1, 2, 3]) {
      const body = await client.request(ApiKey.ApiVersions, version, {
        clientSoftwareName: 'wire-test',
        clientSoftwareVersion: '1.0',
      });
      expect(body.errorCode).toBe(0);
      const ranges = Object.fromEntries(
        (body.apiKeys as { apiKey: number; minVersion: number; maxVersion: number }[]).map((entry) => [
          entry.apiKey,
          [entry.minVersion, entry.maxVersion],
        ]),
      );
      expect(ranges).toMatchObject({
        [ApiKey.Produce]: [3, 9],
        [ApiKey.Fetch]: [4, 12],
        [ApiKey.ListOffsets]: [1, 6],
        [ApiKey.Metadata]: [0, 12],
        [ApiKey.ApiVersions]: [0, 3],
        [ApiKey.CreateTopics]: [0, 7],
        [ApiKey.DeleteTopics]: [0, 6],
        [ApiKey.InitProducerId]: [0, 4],
      });
    }
    client.destroy();
  });

  it('an ApiVersions version it does not serve is answered in v0: UNSUPPORTED_VERSION and the list', async () => {
    const client = await WireClient.connect(port);
    const { bytes, correlationId } = client.encode(ApiKey.ApiVersions, 3, {
      clientSoftwareName: 'wire-test',
      clientSoftwareVersion: '1.0',
    });
    new DataView(bytes.buffer, bytes.byteOffset).setInt16(6, 99); // the header's api version
    client.write(bytes);
    const response = decodeResponse(ApiKey.ApiVersions, 0, await client.frame());
    expect(response.correlationId).toBe(correlationId);
    expect(response.body.errorCode).toBe(KafkaErrorCode.UNSUPPORTED_VERSION);
    expect((response.body.apiKeys as unknown[]).length).toBeGreaterThan(8);
    await expectServed(client);
    client.destroy();
  });

  it('an unknown API key, or a version below what it serves, closes that connection only', async () => {
    const bystander = await WireClient.connect(port);
    const unknownKey = await WireClient.connect(port);
    const { bytes } = unknownKey.encode(ApiKey.Metadata, 1, { topics: null });
    new DataView(bytes.buffer, bytes.byteOffset).setInt16(4, 999);
    unknownKey.write(bytes);
    await unknownKey.closed;
    const oldProduce = await WireClient.connect(port);
    oldProduce.write(oldProduce.encode(ApiKey.Produce, 2, { acks: 1, timeoutMs: 1000, topicData: [] }).bytes);
    await oldProduce.closed;
    await expectServed(bystander);
    bystander.destroy();
  });

  it('an oversized or negative size prefix, and a body that does not decode, close the connection', async () => {
    const bystander = await WireClient.connect(port);
    const oversized = await WireClient.connect(port);
    const size = Buffer.alloc(4);
    size.writeInt32BE(MAX_REQUEST_BYTES + 1);
    oversized.write(size);
    await oversized.closed;
    const negative = await WireClient.connect(port);
    negative.write(Buffer.from([0xff, 0xff, 0xff, 0xf0]));
    await negative.closed;
    const malformed = await WireClient.connect(port);
    // Metadata v1 whose topics array claims 1000 entries that are not there
    const frame = Buffer.from([0, 3, 0, 1, 0, 0, 0, 7, 0, 1, 0x78, 0, 0, 0x03, 0xe8]);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(frame.length);
    malformed.write(Buffer.concat([prefix, frame]));
    await malformed.closed;
    const headerless = await WireClient.connect(port);
    headerless.write(Buffer.from([0, 0, 0, 2, 0, 3]));
    await headerless.closed;
    await expectServed(bystander);
    expect(started.reports.some((line) => line.includes(String(MAX_REQUEST_BYTES)))).toBe(true);
    bystander.destroy();
  });

  it('pipelined requests are answered in request order, a slow long poll first', async () => {
    const admin = await WireClient.connect(port);
    await admin.request(ApiKey.CreateTopics, 4, {
      topics: [{ name: 'pipelined', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    const client = await WireClient.connect(port);
    const fetch = client.encode(ApiKey.Fetch, 11, {
      replicaId: -1,
      maxWaitMs: 400,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        { topic: 'pipelined', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
    const metadata = client.encode(ApiKey.Metadata, 9, { topics: null });
    const versions = client.encode(ApiKey.ApiVersions, 2, {});
    const sentAt = Date.now();
    client.write(Buffer.concat([fetch.bytes, metadata.bytes, versions.bytes]));
    const first = await client.response(ApiKey.Fetch, 11);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(300);
    expect(first.correlationId).toBe(fetch.correlationId);
    expect((await client.response(ApiKey.Metadata, 9)).correlationId).toBe(metadata.correlationId);
    expect((await client.response(ApiKey.ApiVersions, 2)).correlationId).toBe(versions.correlationId);
    client.destroy();
    admin.destroy();
  });

  it('a client that pipelines many large fetches before reading gets every response, in order', async () => {
    const client = await WireClient.connect(port);
    await client.request(ApiKey.CreateTopics, 7, {
      topics: [{ name: 'bulky', numPartitions: 1, replicationFactor: -1, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    const records = await encodeBatch({ records: [{ value: randomBytes(60_000) }] });
    await client.request(ApiKey.Produce, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [{ name: 'bulky', partitionData: [{ index: 0, records }] }],
    });
    const fetches = Array.from({ length: 150 }, () =>
      client.encode(ApiKey.Fetch, 12, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          { topic: 'bulky', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] },
        ],
        forgottenTopicsData: [],
        rackId: '',
      }),
    );
    client.write(Buffer.concat(fetches.map((fetch) => fetch.bytes)));
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const fetch of fetches) {
      const response = await client.response(ApiKey.Fetch, 12);
      expect(response.correlationId).toBe(fetch.correlationId);
      const partition = (response.body.responses as { partitions: { records: Uint8Array }[] }[])[0]!
        .partitions[0]!;
      expect(partition.records.length).toBe(records.length);
    }
    client.destroy();
  });

  it('a request written one byte at a time is read whole', async () => {
    const client = await WireClient.connect(port);
    const { bytes, correlationId } = client.encode(ApiKey.Metadata, 4, {
      topics: null,
      allowAutoTopicCreation: false,
    });
    for (const byte of bytes) {
      client.write(Uint8Array.of(byte));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await client.response(ApiKey.Metadata, 4)).correlationId).toBe(correlationId);
    client.destroy();
  });

  it('clients that vanish mid-frame or during a long poll do not disturb the others', async () => {
    const bystander = await WireClient.connect(port);
    const halfway = await WireClient.connect(port);
    const { bytes } = halfway.encode(ApiKey.Metadata, 1, { topics: null });
    halfway.write(bytes.subarray(0, bytes.length - 3));
    halfway.destroy();
    const polling = await WireClient.connect(port);
    polling.write(
      polling.encode(ApiKey.Fetch, 11, {
        replicaId: -1,
        maxWaitMs: 30_000,
        minBytes: 1,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          { topic: 'pipelined', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] },
        ],
        forgottenTopicsData: [],
        rackId: '',
      }).bytes,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    polling.destroy();
    await expectServed(bystander);
    bystander.destroy();
  });
});
