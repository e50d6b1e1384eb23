import { KafkaErrorCode } from '../../protocol/kafka-error-codes.js';
import type { OffsetFetchRequest, OffsetFetchResponse } from '../../protocol/messages/offset-fetch.js';
import type { ApiHandler } from '../api-handler.js';

/**
 * OffsetFetch (key 9) v0-8: a group's committed offsets of the listed partitions (-1 where none) or,
 * with null topics (v2+), of all its partitions; v8 asks for several groups at once. v0-1 carry a
 * group error on every partition, v2-7 at the top, v8 per group.
 */
export const offsetFetchHandler: ApiHandler<OffsetFetchRequest, OffsetFetchResponse> = {
  apiKey: 9,
  minVersion: 0,
  maxVersion: 8,
  async handle({ header, body }, context) {
    if (header.apiVersion >= 8) {
      const groups = await Promise.all(
        (body.groups ?? []).map(async (group) => ({
          groupId: group.groupId,
          ...(await context.groups.fetchOffsets(group.groupId, group.topics ?? null)),
        })),
      );
      return { throttleTimeMs: 0, groups };
    }
    const { errorCode, topics } = await context.groups.fetchOffsets(body.groupId ?? '', body.topics ?? null);
    if (header.apiVersion < 2 && errorCode !== KafkaErrorCode.NONE) {
      for (const topic of topics) for (const partition of topic.partitions) partition.errorCode = errorCode;
    }
    return { throttleTimeMs: 0, errorCode, topics };
  },
};
