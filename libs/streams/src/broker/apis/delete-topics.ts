import { UnknownTopicError } from '../../errors.js';
import { KafkaErrorCode } from '../../protocol/kafka-error-codes.js';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../../protocol/messages/delete-topics.js';
import type { ApiHandler, BrokerContext } from '../api-handler.js';
import { errorMessageOf, kafkaErrorCodeOf } from '../error-code.js';
import { NULL_TOPIC_ID, topicById } from '../topic-identity.js';

type DeletableTopicResult = DeleteTopicsResponse['responses'][number];

/**
 * DeleteTopics (key 20) v0-6: deletes each topic from the catalog, named (v0-5 `topicNames`, v6
 * `topics[].name`) or by id (v6). Unknown topics: UNKNOWN_TOPIC_OR_PARTITION (or UNKNOWN_TOPIC_ID).
 */
export const deleteTopicsHandler: ApiHandler<DeleteTopicsRequest, DeleteTopicsResponse> = {
  apiKey: 20,
  minVersion: 0,
  maxVersion: 6,
  async handle({ body }, context) {
    const asked = body.topics ?? (body.topicNames ?? []).map((name) => ({ name, topicId: NULL_TOPIC_ID }));
    return {
      throttleTimeMs: 0,
      responses: await Promise.all(asked.map((topic) => deleted(topic.name ?? null, topic.topicId, context))),
    };
  },
};

async function deleted(
  name: string | null,
  topicId: string | undefined,
  context: BrokerContext,
): Promise<DeletableTopicResult> {
  const byId = name == null;
  try {
    const topic = byId ? await topicById(context.log, topicId) : await context.log.describeTopic(name);
    await context.log.deleteTopic(topic.name);
    return { name: topic.name, topicId: topic.id, errorCode: 0, errorMessage: null };
  } catch (error) {
    const errorCode =
      byId && error instanceof UnknownTopicError ? KafkaErrorCode.UNKNOWN_TOPIC_ID : kafkaErrorCodeOf(error);
    return { name, topicId: topicId ?? NULL_TOPIC_ID, errorCode, errorMessage: errorMessageOf(error) };
  }
}
