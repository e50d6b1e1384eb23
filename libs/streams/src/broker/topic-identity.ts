import { InvalidArgumentError, InvalidTopicError, UnknownTopicError } from '../errors.js';
import type { StreamLog } from '../log/stream-log.js';
import { assertValidTopicName as assertLegalInCatalog, type TopicInfo } from '../log/topic-catalog.js';

/** The all-zero topic id Kafka sends where a topic has no id (unknown, or not created). */
export const NULL_TOPIC_ID = '00000000-0000-0000-0000-000000000000';

/** Throws `InvalidTopicError` (Kafka's INVALID_TOPIC_EXCEPTION) unless the catalog accepts `name`. */
export function assertValidTopicName(name: string): void {
  try {
    assertLegalInCatalog(name);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new InvalidTopicError(error.message, { cause: error });
    throw error;
  }
}

/** The topic whose id is `topicId`; `UnknownTopicError` when none is. */
export async function topicById(log: StreamLog, topicId: string | null | undefined): Promise<TopicInfo> {
  const found = (await log.listTopics()).find((topic) => topic.id === topicId);
  if (!found) throw new UnknownTopicError(`no topic has id ${topicId}`);
  return found;
}
