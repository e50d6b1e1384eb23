import type { OffsetDeleteRequest, OffsetDeleteResponse } from '../../protocol/messages/offset-delete.js';
import type { ApiHandler } from '../api-handler.js';

/**
 * OffsetDelete (key 47) v0: deletes a group's committed offsets of partitions of topics its members
 * do not subscribe to (GROUP_SUBSCRIBED_TO_TOPIC for those they do).
 */
export const offsetDeleteHandler: ApiHandler<OffsetDeleteRequest, OffsetDeleteResponse> = {
  apiKey: 47,
  minVersion: 0,
  maxVersion: 0,
  async handle({ body }, context) {
    const { errorCode, topics } = await context.groups.deleteOffsets(body.groupId, body.topics);
    return { errorCode, throttleTimeMs: 0, topics };
  },
};
