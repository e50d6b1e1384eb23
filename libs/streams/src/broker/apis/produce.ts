import {
  CorruptBatchError,
  InvalidRecordError,
  InvalidRequiredAcksError,
  MessageTooLargeError,
  UnsupportedCompressionError,
} from '../../errors.js';
import { Compression } from '../../protocol/compression.js';
import type { ProduceRequest, ProduceResponse } from '../../protocol/messages/produce.js';
import { parseBatches, verifyBatch } from '../../protocol/record-batch.js';
import type { ApiHandler, BrokerContext } from '../api-handler.js';
import { errorMessageOf, kafkaErrorCodeOf } from '../error-code.js';

type PartitionResponse = ProduceResponse['responses'][number]['partitionResponses'][number];

/**
 * Produce (key 0) v3-9: one v2 record batch per partition, its CRC-32C verified and its size held
 * to `maxMessageBytes`, appended to the log. Every partition's append starts before the handler
 * first awaits, so appends of pipelined requests reach the log in the order they arrived. acks=0
 * answers nothing; acks=1 and acks=-1 answer once the batch is durable (segment and head written).
 * Errors are per partition: CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, UNSUPPORTED_COMPRESSION_TYPE,
 * INVALID_RECORD (not exactly one batch), UNKNOWN_TOPIC_OR_PARTITION, OUT_OF_ORDER_SEQUENCE_NUMBER…
 */
export const produceHandler: ApiHandler<ProduceRequest, ProduceResponse> = {
  apiKey: 0,
  minVersion: 3,
  maxVersion: 9,
  async handle({ body }, context) {
    const badAcks = body.acks !== 0 && body.acks !== 1 && body.acks !== -1;
    const responses = body.topicData.map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map((partition) =>
        badAcks
          ? Promise.resolve(failed(partition.index, new InvalidRequiredAcksError(`acks=${body.acks}`)))
          : appended(topic.name, partition.index, partition.records, context),
      ),
    }));
    if (body.acks === 0) return undefined; // appends go on; `appended` never rejects
    return {
      responses: await Promise.all(
        responses.map(async (topic) => ({
          name: topic.name,
          partitionResponses: await Promise.all(topic.partitionResponses),
        })),
      ),
      throttleTimeMs: 0,
    };
  },
};

/** Validates and appends one partition's batch; the promise never rejects (errors become the answer). */
function appended(
  topic: string,
  partition: number,
  records: Uint8Array | null | undefined,
  context: BrokerContext,
): Promise<PartitionResponse> {
  let batch: Uint8Array;
  try {
    batch = validBatch(records, context.maxMessageBytes);
  } catch (error) {
    return Promise.resolve(failed(partition, error));
  }
  return context.log.append(topic, partition, batch).then(
    ({ baseOffset, logStartOffset }) => ({
      index: partition,
      errorCode: 0,
      baseOffset,
      logAppendTimeMs: -1n,
      logStartOffset,
      recordErrors: [],
      errorMessage: null,
    }),
    (error: unknown) => failed(partition, error),
  );
}

/** The one v2 batch of a partition's records, verified; throws the error its answer carries. */
function validBatch(records: Uint8Array | null | undefined, maxMessageBytes: number): Uint8Array {
  if (!records || records.length === 0)
    throw new CorruptBatchError('a produce request carried no record batch');
  if (records.length > maxMessageBytes) {
    throw new MessageTooLargeError(
      `a batch of ${records.length} bytes exceeds the limit of ${maxMessageBytes}`,
    );
  }
  const batches = parseBatches(records);
  if (batches.length !== 1) {
    throw new InvalidRecordError(
      `a produce request must carry one record batch per partition, not ${batches.length}`,
    );
  }
  const view = batches[0]!;
  if (view.compression > Compression.Zstd) {
    throw new UnsupportedCompressionError(`compression codec ${view.compression} is not supported`);
  }
  verifyBatch(view);
  return records;
}

function failed(partition: number, error: unknown): PartitionResponse {
  return {
    index: partition,
    errorCode: kafkaErrorCodeOf(error),
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: -1n,
    recordErrors: [],
    errorMessage: errorMessageOf(error),
  };
}
