import type { DeleteRecordsRequest, DeleteRecordsResponse } from '../../protocol/messages/delete-records.js';
import type { ApiHandler, BrokerContext } from '../api-handler.js';
import { answerEachPartition } from '../each-partition.js';
import { kafkaErrorCodeOf } from '../error-code.js';

type PartitionResult = DeleteRecordsResponse['topics'][number]['partitions'][number];

/** DeleteRecords' offset meaning "up to the high watermark". */
const HIGH_WATERMARK = -1n;

/**
 * DeleteRecords (key 21) v0-2: moves each partition's log start up to `offset` (-1: the high
 * watermark) and answers the new low watermark; OFFSET_OUT_OF_RANGE past the high watermark.
 */
export const deleteRecordsHandler: ApiHandler<DeleteRecordsRequest, DeleteRecordsResponse> = {
  apiKey: 21,
  minVersion: 0,
  maxVersion: 2,
  async handle({ body }, context) {
    return {
      throttleTimeMs: 0,
      topics: await answerEachPartition(body.topics, (topic, partition) =>
        truncated(topic, partition.partitionIndex, partition.offset, context),
      ),
    };
  },
};

async function truncated(
  topic: string,
  partitionIndex: number,
  offset: bigint,
  context: BrokerContext,
): Promise<PartitionResult> {
  try {
    const before =
      offset === HIGH_WATERMARK ? (await context.log.offsets(topic, partitionIndex)).highWatermark : offset;
    const lowWatermark = await context.log.deleteRecordsBefore(topic, partitionIndex, before);
    return { partitionIndex, lowWatermark, errorCode: 0 };
  } catch (error) {
    return { partitionIndex, lowWatermark: -1n, errorCode: kafkaErrorCodeOf(error) };
  }
}
