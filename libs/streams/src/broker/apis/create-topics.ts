import { InvalidPartitionsError } from '../../errors.js';
import type { CreateTopicsRequest, CreateTopicsResponse } from '../../protocol/messages/create-topics.js';
import type { ApiHandler, BrokerContext } from '../api-handler.js';
import { errorMessageOf, kafkaErrorCodeOf } from '../error-code.js';
import { assertValidTopicName, NULL_TOPIC_ID } from '../topic-identity.js';

type CreatableTopic = CreateTopicsRequest['topics'][number];
type TopicResult = CreateTopicsResponse['topics'][number];

/** Kafka's DYNAMIC_TOPIC_CONFIG config source: a config set on the topic. */
const TOPIC_CONFIG_SOURCE = 1;

/**
 * CreateTopics (key 19) v0-7: creates each topic in the store's catalog with its partition count
 * (-1: the broker's default; explicit assignments: one partition per assignment) and configs.
 * Replication is the store's business, so the replication factor is accepted and answered as 1.
 * `validateOnly` checks the name and count without creating. Errors per topic:
 * TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS.
 */
export const createTopicsHandler: ApiHandler<CreateTopicsRequest, CreateTopicsResponse> = {
  apiKey: 19,
  minVersion: 0,
  maxVersion: 7,
  async handle({ body }, context) {
    return {
      throttleTimeMs: 0,
      topics: await Promise.all(
        body.topics.map((topic) => created(topic, body.validateOnly === true, context)),
      ),
    };
  },
};

async function created(
  topic: CreatableTopic,
  validateOnly: boolean,
  context: BrokerContext,
): Promise<TopicResult> {
  try {
    assertValidTopicName(topic.name);
    const partitions =
      topic.assignments.length > 0
        ? topic.assignments.length
        : topic.numPartitions === -1
          ? context.defaultPartitions
          : topic.numPartitions;
    if (partitions < 1)
      throw new InvalidPartitionsError(`a topic needs at least 1 partition, not ${partitions}`);
    const config = Object.fromEntries(
      topic.configs.flatMap((entry) => (entry.value == null ? [] : [[entry.name, entry.value]])),
    );
    const info = validateOnly
      ? { id: NULL_TOPIC_ID, partitions, config }
      : await context.log.createTopic(topic.name, { partitions, config });
    return {
      name: topic.name,
      topicId: info.id,
      errorCode: 0,
      errorMessage: null,
      numPartitions: info.partitions,
      replicationFactor: 1,
      configs: Object.entries(info.config).map(([name, value]) => ({
        name,
        value,
        readOnly: false,
        configSource: TOPIC_CONFIG_SOURCE,
        isSensitive: false,
      })),
    };
  } catch (error) {
    return {
      name: topic.name,
      topicId: NULL_TOPIC_ID,
      errorCode: kafkaErrorCodeOf(error),
      errorMessage: errorMessageOf(error),
      numPartitions: -1,
      replicationFactor: -1,
      configs: null,
    };
  }
}
