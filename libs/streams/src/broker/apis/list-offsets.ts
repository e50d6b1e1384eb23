import type { ListOffsetsRequest, ListOffsetsResponse } from '../../protocol/messages/list-offsets.js';
import type { ApiHandler, BrokerContext } from '../api-handler.js';
import { answerEachPartition } from '../each-partition.js';
import { kafkaErrorCodeOf } from '../error-code.js';

/** ListOffsets' timestamp asking for the next offset to be written (the high watermark). */
const LATEST = -1n;
/** ListOffsets' timestamp asking for the first offset kept (the log start). */
const EARLIEST = -2n;

type PartitionAnswer = ListOffsetsResponse['topics'][number]['partitions'][number];

/**
 * ListOffsets (key 2) v1-6: per partition, the log start offset (timestamp -2), the high
 * watermark (-1), or the first offset whose record timestamp is at or after the given time (offset
 * -1 when none is). Leader epoch 0.
 */
export const listOffsetsHandler: ApiHandler<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: 2,
  minVersion: 1,
  maxVersion: 6,
  async handle({ body }, context) {
    return {
      throttleTimeMs: 0,
      topics: await answerEachPartition(body.topics, (topic, partition) =>
        offsetAt(topic, partition.partitionIndex, partition.timestamp, context),
      ),
    };
  },
};

async function offsetAt(
  topic: string,
  partitionIndex: number,
  timestamp: bigint,
  context: BrokerContext,
): Promise<PartitionAnswer> {
  const answer = (offset: bigint, at: bigint, errorCode = 0): PartitionAnswer => ({
    partitionIndex,
    errorCode,
    timestamp: at,
    offset,
    leaderEpoch: errorCode === 0 ? 0 : -1,
  });
  try {
    if (timestamp === LATEST || timestamp === EARLIEST) {
      const offsets = await context.log.offsets(topic, partitionIndex);
      return answer(timestamp === LATEST ? offsets.highWatermark : offsets.logStartOffset, -1n);
    }
    const found = await context.log.offsetForTimestamp(topic, partitionIndex, timestamp);
    return found ? answer(found.offset, found.timestampMs) : answer(-1n, -1n);
  } catch (error) {
    return answer(-1n, -1n, kafkaErrorCodeOf(error));
  }
}
