import { KafkaErrorCode } from '../../protocol/kafka-error-codes.js';
import type { LeaveGroupRequest, LeaveGroupResponse } from '../../protocol/messages/leave-group.js';
import type { ApiHandler } from '../api-handler.js';

/** LeaveGroup (key 13) v0-5: one member (v0-2) or a batch of members (v3+) leave; the rest rebalance. */
export const leaveGroupHandler: ApiHandler<LeaveGroupRequest, LeaveGroupResponse> = {
  apiKey: 13,
  minVersion: 0,
  maxVersion: 5,
  async handle({ header, body }, context) {
    const leaving =
      header.apiVersion >= 3
        ? (body.members ?? []).map((member) => ({
            memberId: member.memberId,
            groupInstanceId: member.groupInstanceId ?? null,
          }))
        : [{ memberId: body.memberId ?? '', groupInstanceId: null }];
    const result = await context.groups.leave(body.groupId, leaving);
    if (header.apiVersion < 3) {
      return { throttleTimeMs: 0, errorCode: result.members[0] ?? result.errorCode, members: [] };
    }
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      members:
        result.errorCode === KafkaErrorCode.NONE
          ? leaving.map((member, index) => ({
              ...member,
              errorCode: result.members[index] ?? KafkaErrorCode.NONE,
            }))
          : [],
    };
  },
};
