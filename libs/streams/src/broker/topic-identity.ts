import { InvalidTopicError, UnknownTopicError } from '../errors.js';
import type { StreamLog, TopicInfo } from '../log/stream-log.js';

/** The all-zero topic id Kafka sends where a topic has no id (unknown, or not created). */
export const NULL_TOPIC_ID = '00000000-0000-0000-0000-000000000000';

const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** Throws `InvalidTopicError` unless `name` is a topic name Kafka allows. */
export function assertValidTopicName(name: string | null | undefined): asserts name is string {
  if (!name || !LEGAL_TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new InvalidTopicError(`"${name}" is not a legal topic name (1-249 of [a-zA-Z0-9._-], not . or ..)`);
  }
}

/** The topic whose id is `topicId`; `UnknownTopicError` when none is. */
export async function topicById(log: StreamLog, topicId: string | null | undefined): Promise<TopicInfo> {
  const found = (await log.listTopics()).find((topic) => topic.id === topicId);
  if (!found) throw new UnknownTopicError(`no topic has id ${topicId}`);
  return found;
}
