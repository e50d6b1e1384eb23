import type { SyncGroupRequest, SyncGroupResponse } from '../../protocol/messages/sync-group.js';
import type { ApiHandler } from '../api-handler.js';

/**
 * SyncGroup (key 14) v0-5: the leader hands out the generation's assignments; every member receives
 * its own once they are persisted (followers wait for the leader).
 */
export const syncGroupHandler: ApiHandler<SyncGroupRequest, SyncGroupResponse> = {
  apiKey: 14,
  minVersion: 0,
  maxVersion: 5,
  async handle({ body }, context) {
    const result = await context.groups.sync(body.groupId, {
      memberId: body.memberId,
      groupInstanceId: body.groupInstanceId ?? null,
      generationId: body.generationId,
      protocolType: body.protocolType ?? null,
      protocolName: body.protocolName ?? null,
      assignments: body.assignments.map((entry) => ({
        memberId: entry.memberId,
        assignment: entry.assignment,
      })),
    });
    return { throttleTimeMs: 0, ...result };
  },
};
