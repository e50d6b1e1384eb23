import type {
  DescribeGroupsRequest,
  DescribeGroupsResponse,
} from '../../protocol/messages/describe-groups.js';
import type { ApiHandler } from '../api-handler.js';

/** DescribeGroups' "authorized operations not asked for" sentinel (this broker has no ACLs). */
const OPERATIONS_OMITTED = -2147483648;

/**
 * DescribeGroups (key 15) v0-5: each group's state, protocol and members (their metadata and
 * assignments while Stable); an unknown group is Dead with no members.
 */
export const describeGroupsHandler: ApiHandler<DescribeGroupsRequest, DescribeGroupsResponse> = {
  apiKey: 15,
  minVersion: 0,
  maxVersion: 5,
  async handle({ body }, context) {
    const groups = await Promise.all(
      body.groups.map(async (groupId) => {
        const group = await context.groups.describe(groupId);
        return {
          errorCode: group.errorCode,
          groupId,
          groupState: group.state,
          protocolType: group.protocolType,
          protocolData: group.protocolName,
          members: group.members.map((member) => ({
            memberId: member.memberId,
            groupInstanceId: member.groupInstanceId,
            clientId: member.clientId,
            clientHost: member.clientHost,
            memberMetadata: member.metadata,
            memberAssignment: member.assignment,
          })),
          authorizedOperations: OPERATIONS_OMITTED,
        };
      }),
    );
    return { throttleTimeMs: 0, groups };
  },
};
