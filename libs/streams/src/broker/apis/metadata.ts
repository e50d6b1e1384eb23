import { TopicExistsError, UnknownTopicError } from '../../errors.js';
import type { TopicInfo } from '../../log/topic-catalog.js';
import type { MetadataRequest, MetadataResponse } from '../../protocol/messages/metadata.js';
import type { ApiHandler, BrokerContext } from '../api-handler.js';
import { kafkaErrorCodeOf } from '../error-code.js';
import { assertValidTopicName, NULL_TOPIC_ID, topicById } from '../topic-identity.js';

/** Kafka's "authorized operations not asked for" sentinel. */
const OPERATIONS_OMITTED = -2147483648;

type MetadataTopic = MetadataResponse['topics'][number];

/**
 * Metadata (key 3) v0-12: every live broker of the registry, and for each topic asked (all when
 * the list is null, or empty in v0) its partitions, each led by THIS broker (any broker takes any
 * partition's writes), leader epoch 0. Unknown topics are created when the broker is configured to
 * (`autoCreateTopics`) and the client allows it, else answered UNKNOWN_TOPIC_OR_PARTITION.
 */
export const metadataHandler: ApiHandler<MetadataRequest, MetadataResponse> = {
  apiKey: 3,
  minVersion: 0,
  maxVersion: 12,
  async handle({ header, body }, context) {
    const allTopics = body.topics == null || (header.apiVersion === 0 && body.topics.length === 0);
    const [brokers, topics] = await Promise.all([
      liveBrokers(context),
      allTopics
        ? context.log.listTopics().then((infos) => infos.map((info) => describedTopic(info, context)))
        : Promise.all(
            body.topics!.map((topic) =>
              askedTopic(
                topic.name ?? undefined,
                topic.topicId,
                body.allowAutoTopicCreation !== false,
                context,
              ),
            ),
          ),
    ]);
    return {
      throttleTimeMs: 0,
      brokers,
      clusterId: context.clusterId,
      controllerId: context.nodeId,
      topics,
      clusterAuthorizedOperations: OPERATIONS_OMITTED,
    };
  },
};

async function liveBrokers(context: BrokerContext): Promise<MetadataResponse['brokers']> {
  const live = await context.log.registry.live();
  const brokers = live.map((broker) => ({
    nodeId: broker.nodeId,
    host: broker.host,
    port: broker.port,
    rack: broker.rack ?? null,
  }));
  if (!brokers.some((broker) => broker.nodeId === context.nodeId)) {
    brokers.push({ nodeId: context.nodeId, ...context.advertised, rack: null });
  }
  return brokers.sort((left, right) => left.nodeId - right.nodeId);
}

async function askedTopic(
  name: string | undefined,
  topicId: string | undefined,
  allowAutoCreation: boolean,
  context: BrokerContext,
): Promise<MetadataTopic> {
  try {
    if (name === undefined) return describedTopic(await topicById(context.log, topicId), context);
    try {
      assertValidTopicName(name);
      return describedTopic(await context.log.describeTopic(name), context);
    } catch (error) {
      if (!(error instanceof UnknownTopicError) || !context.autoCreateTopics || !allowAutoCreation)
        throw error;
      return describedTopic(await createdOrExisting(name, context), context);
    }
  } catch (error) {
    return {
      errorCode: kafkaErrorCodeOf(error),
      name: name ?? null,
      topicId: topicId ?? NULL_TOPIC_ID,
      isInternal: false,
      partitions: [],
      topicAuthorizedOperations: OPERATIONS_OMITTED,
    };
  }
}

async function createdOrExisting(name: string, context: BrokerContext): Promise<TopicInfo> {
  try {
    return await context.log.createTopic(name, { partitions: context.defaultPartitions });
  } catch (error) {
    if (error instanceof TopicExistsError) return context.log.describeTopic(name);
    throw error;
  }
}

function describedTopic(topic: TopicInfo, context: BrokerContext): MetadataTopic {
  const self = [context.nodeId];
  return {
    errorCode: 0,
    name: topic.name,
    topicId: topic.id,
    isInternal: false,
    partitions: Array.from({ length: topic.partitions }, (_, partitionIndex) => ({
      errorCode: 0,
      partitionIndex,
      leaderId: context.nodeId,
      leaderEpoch: 0,
      replicaNodes: self,
      isrNodes: self,
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: OPERATIONS_OMITTED,
  };
}
