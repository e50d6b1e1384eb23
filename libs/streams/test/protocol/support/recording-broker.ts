import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { ApiKey } from '../../../src/protocol/api-keys.js';
import { type DecodedRequest, decodeRequest, encodeResponse } from '../../../src/protocol/frames.js';
import type { MessageBody } from '../../../src/protocol/message-codec.js';
import { apiDefinitions } from '../../../src/protocol/messages/index.js';
import type { RecordBatchView } from '../../../src/protocol/record-batch.js';

/**
 * A minimal Kafka wire endpoint for protocol tests, built only from this library's frames and
 * codecs: it answers ApiVersions (every version of every API it has a definition of), Metadata
 * (one topic, itself the leader of every partition), Produce (acknowledging every batch),
 * ListOffsets and Fetch (serving `fetchable`, the batches given to it, on every partition), and
 * records every request it decoded, so a real client (kcat) can be checked against the codecs.
 * It is not the broker: no log, no offsets beyond a counter.
 */
export class RecordingBroker {
  /** Every request received, decoded, in order. */
  readonly requests: DecodedRequest[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private nextOffset = 0n;
  /** Record batches Fetch serves, with their base offsets set, in offset order. */
  fetchable: RecordBatchView[] = [];

  private constructor(
    private readonly topic: string,
    private readonly partitions: number,
  ) {
    this.server = createServer((socket) => this.serve(socket));
  }

  /** Starts listening on 127.0.0.1 at a free port. */
  static async start(topic: string, partitions = 1): Promise<RecordingBroker> {
    const broker = new RecordingBroker(topic, partitions);
    broker.server.listen(0, '127.0.0.1');
    await once(broker.server, 'listening');
    return broker;
  }

  /** `host:port` to give a client. */
  get address(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return `127.0.0.1:${address.port}`;
  }

  private get highWatermark(): bigint {
    const last = this.fetchable.at(-1);
    return last ? last.lastOffset + 1n : 0n;
  }

  private get port(): number {
    return Number(this.address.split(':')[1]);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = new Uint8Array(pending.subarray(4, 4 + pending.readInt32BE(0)));
        pending = pending.subarray(4 + frame.length);
        const request = decodeRequest(frame);
        this.requests.push(request);
        const body = this.answer(request);
        if (body) socket.write(encodeResponse(request.header, body));
      }
    });
  }

  private answer({ header, body }: DecodedRequest): MessageBody | undefined {
    switch (header.apiKey) {
      case ApiKey.ApiVersions:
        return {
          errorCode: 0,
          apiKeys: [...apiDefinitions].map(([apiKey, { request }]) => ({
            apiKey,
            minVersion: request.validVersions[0],
            maxVersion: request.validVersions[1],
          })),
        };
      case ApiKey.Metadata:
        return {
          brokers: [{ nodeId: 1, host: '127.0.0.1', port: this.port, rack: null }],
          clusterId: 'recording-cluster',
          controllerId: 1,
          topics: [
            {
              errorCode: 0,
              name: this.topic,
              topicId: '6f9619ff-8b86-4d01-b42d-00cf4fc964ff',
              isInternal: false,
              partitions: Array.from({ length: this.partitions }, (_, partitionIndex) => ({
                errorCode: 0,
                partitionIndex,
                leaderId: 1,
                leaderEpoch: 0,
                replicaNodes: [1],
                isrNodes: [1],
                offlineReplicas: [],
              })),
            },
          ],
        };
      case ApiKey.Produce: {
        const { acks, topicData } = body as {
          acks: number;
          topicData: Array<{ name: string; partitionData: Array<{ index: number }> }>;
        };
        if (acks === 0) return undefined;
        return {
          responses: topicData.map(({ name, partitionData }) => ({
            name,
            partitionResponses: partitionData.map(({ index }) => ({
              index,
              errorCode: 0,
              baseOffset: this.nextOffset++,
              logAppendTimeMs: -1n,
              logStartOffset: 0n,
            })),
          })),
        };
      }
      case ApiKey.ListOffsets: {
        const { topics } = body as {
          topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; timestamp: bigint }> }>;
        };
        return {
          topics: topics.map(({ name, partitions }) => ({
            name,
            partitions: partitions.map(({ partitionIndex, timestamp }) => {
              const offset = timestamp === -1n ? this.highWatermark : 0n; // -1: latest, else earliest
              return {
                partitionIndex,
                errorCode: 0,
                oldStyleOffsets: [offset],
                timestamp: -1n,
                offset,
                leaderEpoch: 0,
              };
            }),
          })),
        };
      }
      case ApiKey.Fetch: {
        const { topics } = body as {
          topics: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: bigint }> }>;
        };
        return {
          errorCode: 0,
          sessionId: 0,
          responses: topics.map(({ topic, partitions }) => ({
            topic,
            partitions: partitions.map(({ partition, fetchOffset }) => ({
              partitionIndex: partition,
              errorCode: 0,
              highWatermark: this.highWatermark,
              lastStableOffset: this.highWatermark,
              logStartOffset: 0n,
              abortedTransactions: [],
              preferredReadReplica: -1,
              records: Buffer.concat(
                this.fetchable.filter((batch) => batch.lastOffset >= fetchOffset).map((batch) => batch.bytes),
              ),
            })),
          })),
        };
      }
      default:
        throw new Error(`the recording broker does not answer api key ${header.apiKey}`);
    }
  }
}
