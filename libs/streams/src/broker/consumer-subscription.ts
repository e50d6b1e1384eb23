import { ByteReader } from '../protocol/byte-reader.js';

/**
 * The topics of a member's `consumer` protocol metadata (Kafka's ConsumerProtocolSubscription: an
 * int16 version, then the topic names, alike in every version); none when it does not parse.
 */
export function subscribedTopics(metadata: Uint8Array): string[] {
  try {
    const reader = new ByteReader(metadata);
    reader.int16();
    const count = reader.int32();
    const topics: string[] = [];
    for (let index = 0; index < count; index++) {
      const topic = reader.string();
      if (topic !== null) topics.push(topic);
    }
    return topics;
  } catch {
    return [];
  }
}
