import type { HeartbeatRequest, HeartbeatResponse } from '../../protocol/messages/heartbeat.js';
import type { ApiHandler } from '../api-handler.js';

/** Heartbeat (key 12) v0-4: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin. */
export const heartbeatHandler: ApiHandler<HeartbeatRequest, HeartbeatResponse> = {
  apiKey: 12,
  minVersion: 0,
  maxVersion: 4,
  async handle({ body }, context) {
    return {
      throttleTimeMs: 0,
      errorCode: await context.groups.heartbeat(
        body.groupId,
        body.memberId,
        body.generationId,
        body.groupInstanceId ?? null,
      ),
    };
  },
};
