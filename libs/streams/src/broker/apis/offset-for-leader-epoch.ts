import type {
  OffsetForLeaderEpochRequest,
  OffsetForLeaderEpochResponse,
} from '../../protocol/messages/offset-for-leader-epoch.js';
import type { ApiHandler, BrokerContext } from '../api-handler.js';
import { kafkaErrorCodeOf } from '../error-code.js';

type EpochEndOffset = OffsetForLeaderEpochResponse['topics'][number]['partitions'][number];

/**
 * OffsetForLeaderEpoch (key 23) v0-4: every partition has had one leader epoch, 0, which ends at
 * the high watermark; librdkafka asks this to validate its position after a metadata change.
 */
export const offsetForLeaderEpochHandler: ApiHandler<
  OffsetForLeaderEpochRequest,
  OffsetForLeaderEpochResponse
> = {
  apiKey: 23,
  minVersion: 0,
  maxVersion: 4,
  async handle({ body }, context) {
    return {
      throttleTimeMs: 0,
      topics: await Promise.all(
        body.topics.map(async (topic) => ({
          topic: topic.topic,
          partitions: await Promise.all(
            topic.partitions.map((partition) => epochEnd(topic.topic, partition.partition, context)),
          ),
        })),
      ),
    };
  },
};

async function epochEnd(topic: string, partition: number, context: BrokerContext): Promise<EpochEndOffset> {
  try {
    const { highWatermark } = await context.log.offsets(topic, partition);
    return { errorCode: 0, partition, leaderEpoch: 0, endOffset: highWatermark };
  } catch (error) {
    return { errorCode: kafkaErrorCodeOf(error), partition, leaderEpoch: -1, endOffset: -1n };
  }
}
