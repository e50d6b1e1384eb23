import type { DeleteGroupsRequest, DeleteGroupsResponse } from '../../protocol/messages/delete-groups.js';
import type { ApiHandler } from '../api-handler.js';

/**
 * DeleteGroups (key 42) v0-2: deletes groups without members, their committed offsets with them
 * (NON_EMPTY_GROUP while members are in, GROUP_ID_NOT_FOUND for a group the store does not know).
 */
export const deleteGroupsHandler: ApiHandler<DeleteGroupsRequest, DeleteGroupsResponse> = {
  apiKey: 42,
  minVersion: 0,
  maxVersion: 2,
  async handle({ body }, context) {
    const results = await Promise.all(
      body.groupsNames.map(async (groupId) => ({ groupId, errorCode: await context.groups.delete(groupId) })),
    );
    return { throttleTimeMs: 0, results };
  },
};
