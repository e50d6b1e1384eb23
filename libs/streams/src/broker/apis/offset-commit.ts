import type { OffsetCommitRequest, OffsetCommitResponse } from '../../protocol/messages/offset-commit.js';
import type { ApiHandler } from '../api-handler.js';

/**
 * OffsetCommit (key 8) v0-8: a member of the current generation commits its offsets; with
 * generation -1 and no member id (v0 always) it is an admin commit, allowed while the group is empty.
 */
export const offsetCommitHandler: ApiHandler<OffsetCommitRequest, OffsetCommitResponse> = {
  apiKey: 8,
  minVersion: 0,
  maxVersion: 8,
  async handle({ body }, context) {
    const topics = await context.groups.commitOffsets(
      body.groupId,
      {
        memberId: body.memberId ?? '',
        generationId: body.generationIdOrMemberEpoch ?? -1,
        groupInstanceId: body.groupInstanceId ?? null,
      },
      body.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((partition) => ({
          partitionIndex: partition.partitionIndex,
          committedOffset: partition.committedOffset,
          committedLeaderEpoch: partition.committedLeaderEpoch,
          committedMetadata: partition.committedMetadata,
        })),
      })),
    );
    return { throttleTimeMs: 0, topics };
  },
};
