import type { JoinGroupRequest, JoinGroupResponse } from '../../protocol/messages/join-group.js';
import type { ApiHandler } from '../api-handler.js';

/**
 * JoinGroup (key 11) v0-9: joins a member to a group and answers when the join barrier completes
 * (the leader receives every member's metadata). From v4 a new member first gets MEMBER_ID_REQUIRED
 * with its id. v0 has no rebalance timeout: the session timeout stands for it.
 */
export const joinGroupHandler: ApiHandler<JoinGroupRequest, JoinGroupResponse> = {
  apiKey: 11,
  minVersion: 0,
  maxVersion: 9,
  async handle({ header, body, clientHost }, context) {
    const version = header.apiVersion;
    const rebalanceTimeoutMs = body.rebalanceTimeoutMs ?? -1;
    const result = await context.groups.join(body.groupId, {
      memberId: body.memberId,
      groupInstanceId: body.groupInstanceId ?? null,
      clientId: header.clientId ?? '',
      clientHost,
      sessionTimeoutMs: body.sessionTimeoutMs,
      rebalanceTimeoutMs: rebalanceTimeoutMs >= 0 ? rebalanceTimeoutMs : body.sessionTimeoutMs,
      protocolType: body.protocolType,
      protocols: body.protocols.map((protocol) => ({ name: protocol.name, metadata: protocol.metadata })),
      requireKnownMemberId: version >= 4,
    });
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      generationId: result.generationId,
      protocolType: result.protocolType,
      protocolName: version >= 7 ? result.protocolName : (result.protocolName ?? ''),
      leader: result.leader,
      skipAssignment: false,
      memberId: result.memberId,
      members: [...result.members],
    };
  },
};
