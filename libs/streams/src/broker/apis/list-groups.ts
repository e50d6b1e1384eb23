import { KafkaErrorCode } from '../../protocol/kafka-error-codes.js';
import type { ListGroupsRequest, ListGroupsResponse } from '../../protocol/messages/list-groups.js';
import type { ApiHandler } from '../api-handler.js';

/**
 * ListGroups (key 16) v0-4: the groups this broker coordinates (clients ask every broker), with
 * their protocol type and (v4) state, filtered by the states asked for (case-insensitive).
 */
export const listGroupsHandler: ApiHandler<ListGroupsRequest, ListGroupsResponse> = {
  apiKey: 16,
  minVersion: 0,
  maxVersion: 4,
  async handle({ body }, context) {
    const states = new Set((body.statesFilter ?? []).map((state) => state.toLowerCase()));
    const groups = (await context.groups.list()).filter(
      (group) => states.size === 0 || states.has(group.groupState.toLowerCase()),
    );
    return { throttleTimeMs: 0, errorCode: KafkaErrorCode.NONE, groups };
  },
};
