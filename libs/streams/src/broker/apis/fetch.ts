import { KafkaErrorCode } from '../../protocol/kafka-error-codes.js';
import type { FetchRequest, FetchResponse } from '../../protocol/messages/fetch.js';
import type { ApiHandler, BrokerContext } from '../api-handler.js';
import { kafkaErrorCodeOf } from '../error-code.js';

type PartitionData = FetchResponse['responses'][number]['partitions'][number];

/** An empty record set: sent as zero bytes, as Kafka does, rather than null. */
const NO_RECORDS = new Uint8Array(0);

/** One partition a fetch asks for. */
interface Position {
  topic: string;
  partition: number;
  offset: bigint;
  maxBytes: number;
}

/**
 * Fetch (key 1) v4-12: full fetches only (sessionId 0; an incremental session is answered
 * FETCH_SESSION_ID_NOT_FOUND, and clients fall back to full fetches). Reads each partition from its
 * fetch offset up to `partitionMaxBytes`, within the request's `maxBytes` (the first batch always
 * comes whole, as in Kafka); when fewer than `minBytes` came back it long-polls the log until data
 * arrives past a fetch offset, `maxWaitMs` passes, or the connection or broker closes.
 */
export const fetchHandler: ApiHandler<FetchRequest, FetchResponse> = {
  apiKey: 1,
  minVersion: 4,
  maxVersion: 12,
  async handle({ body }, context) {
    if ((body.sessionEpoch ?? -1) > 0) {
      return {
        throttleTimeMs: 0,
        errorCode: KafkaErrorCode.FETCH_SESSION_ID_NOT_FOUND,
        sessionId: 0,
        responses: [],
      };
    }
    const positions: Position[] = body.topics.flatMap((topic) =>
      topic.partitions.map((partition) => ({
        topic: topic.topic!,
        partition: partition.partition,
        offset: partition.fetchOffset,
        maxBytes: partition.partitionMaxBytes,
      })),
    );
    const deadline = Date.now() + Math.max(0, body.maxWaitMs);
    let results = await readAll(positions, body.maxBytes ?? 0x7fffffff, context);
    while (!enough(results, body.minBytes) && Date.now() < deadline && !context.closing.aborted) {
      await context.log.waitForData(positions, deadline - Date.now(), context.closing);
      results = await readAll(positions, body.maxBytes ?? 0x7fffffff, context);
    }
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: body.topics.map((topic) => ({
        topic: topic.topic!,
        partitions: topic.partitions.map(() => results.shift()!),
      })),
    };
  },
};

/** Whether a fetch may answer now: enough bytes, or an error to report. */
function enough(results: PartitionData[], minBytes: number): boolean {
  let bytes = 0;
  for (const result of results) {
    if (result.errorCode !== 0) return true;
    bytes += result.records?.length ?? 0;
  }
  return bytes >= Math.max(1, minBytes);
}

/**
 * Reads every position at once (ranges one flush wrote for several come from one GET), then
 * shares `maxBytes` between them in request order: whole batches only, the first one always.
 */
async function readAll(
  positions: Position[],
  maxBytes: number,
  context: BrokerContext,
): Promise<PartitionData[]> {
  const reads = await context.log.readMany(
    positions.map(({ topic, partition, offset, maxBytes: partitionMaxBytes }) => ({
      topic,
      partition,
      offset,
      maxBytes: partitionMaxBytes,
    })),
  );
  let budget = maxBytes;
  let delivered = false;
  return reads.map((read, index): PartitionData => {
    const partitionIndex = positions[index]!.partition;
    if (read.status === 'rejected')
      return partitionData(partitionIndex, { errorCode: kafkaErrorCodeOf(read.reason) });
    const kept: Uint8Array[] = [];
    for (const batch of read.value.batches) {
      if (delivered && batch.length > budget) break;
      kept.push(batch);
      budget -= batch.length;
      delivered = true;
    }
    const { highWatermark, logStartOffset } = read.value;
    return partitionData(partitionIndex, {
      highWatermark,
      lastStableOffset: highWatermark,
      logStartOffset,
      records: concatenated(kept),
    });
  });
}

/** One partition's answer: `fields` over the answer of a partition without data. */
function partitionData(partitionIndex: number, fields: Partial<PartitionData>): PartitionData {
  return {
    partitionIndex,
    errorCode: 0,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: [],
    preferredReadReplica: -1,
    records: NO_RECORDS,
    ...fields,
  };
}

/** The batches back to back: the view covering them when they already are (as reads return them), else a copy. */
function concatenated(batches: Uint8Array[]): Uint8Array {
  const [first] = batches;
  if (first === undefined) return NO_RECORDS;
  let end = first.byteOffset + first.length;
  for (const batch of batches.slice(1)) {
    if (batch.buffer !== first.buffer || batch.byteOffset !== end) return Buffer.concat(batches);
    end += batch.length;
  }
  return new Uint8Array(first.buffer, first.byteOffset, end - first.byteOffset);
}
