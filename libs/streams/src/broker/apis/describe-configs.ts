import { InvalidArgumentError } from '../../errors.js';
import type {
  DescribeConfigsRequest,
  DescribeConfigsResponse,
} from '../../protocol/messages/describe-configs.js';
import type { ApiHandler, BrokerContext } from '../api-handler.js';
import { errorMessageOf, kafkaErrorCodeOf } from '../error-code.js';

type Resource = DescribeConfigsRequest['resources'][number];
type ResourceResult = DescribeConfigsResponse['results'][number];
type ConfigEntry = ResourceResult['configs'][number];

/** DescribeConfigs' resource types. */
const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;

/** Kafka's config sources and types as DescribeConfigs numbers them. */
const Source = { TOPIC: 1, STATIC_BROKER: 4 } as const;
const Type = { BOOLEAN: 1, STRING: 2, INT: 3 } as const;

/** One config as this broker reports it. */
interface Config {
  name: string;
  value: string;
  source: number;
  type: number;
  readOnly: boolean;
}

/**
 * DescribeConfigs (key 32) v0-4: a minimal, honest answer. A topic: the configs it was created
 * with, plus `max.message.bytes` (the broker's limit). This broker (its node id, or the empty
 * name): the settings it enforces (`message.max.bytes`, `auto.create.topics.enable`,
 * `num.partitions`, `broker.id`). Other resources: INVALID_REQUEST.
 */
export const describeConfigsHandler: ApiHandler<DescribeConfigsRequest, DescribeConfigsResponse> = {
  apiKey: 32,
  minVersion: 0,
  maxVersion: 4,
  async handle({ body }, context) {
    return {
      throttleTimeMs: 0,
      results: await Promise.all(body.resources.map((resource) => described(resource, context))),
    };
  },
};

async function described(resource: Resource, context: BrokerContext): Promise<ResourceResult> {
  const result = { resourceType: resource.resourceType, resourceName: resource.resourceName };
  try {
    const keys = resource.configurationKeys == null ? undefined : new Set(resource.configurationKeys);
    const configs = (await configsOf(resource, context)).filter((config) => !keys || keys.has(config.name));
    return { ...result, errorCode: 0, errorMessage: null, configs: configs.map(entry) };
  } catch (error) {
    return {
      ...result,
      errorCode: kafkaErrorCodeOf(error),
      errorMessage: errorMessageOf(error),
      configs: [],
    };
  }
}

async function configsOf(resource: Resource, context: BrokerContext): Promise<Config[]> {
  const brokerLimit = String(context.maxMessageBytes);
  if (resource.resourceType === TOPIC_RESOURCE) {
    const topic = await context.log.describeTopic(resource.resourceName);
    const own = Object.entries(topic.config).map(([name, value]) => ({
      name,
      value,
      source: Source.TOPIC,
      type: Type.STRING,
      readOnly: false,
    }));
    if (topic.config['max.message.bytes'] !== undefined) return own;
    const limit = {
      name: 'max.message.bytes',
      value: brokerLimit,
      source: Source.STATIC_BROKER,
      type: Type.INT,
    };
    return [...own, { ...limit, readOnly: true }];
  }
  if (
    resource.resourceType === BROKER_RESOURCE &&
    (resource.resourceName === '' || resource.resourceName === String(context.nodeId))
  ) {
    const broker = (name: string, value: string, type: number): Config => ({
      name,
      value,
      source: Source.STATIC_BROKER,
      type,
      readOnly: true,
    });
    return [
      broker('broker.id', String(context.nodeId), Type.INT),
      broker('message.max.bytes', brokerLimit, Type.INT),
      broker('auto.create.topics.enable', String(context.autoCreateTopics), Type.BOOLEAN),
      broker('num.partitions', String(context.defaultPartitions), Type.INT),
    ];
  }
  throw new InvalidArgumentError(
    `resource type ${resource.resourceType} "${resource.resourceName}" is not described by broker ${context.nodeId}`,
  );
}

function entry(config: Config): ConfigEntry {
  return {
    name: config.name,
    value: config.value,
    readOnly: config.readOnly,
    isDefault: false,
    configSource: config.source,
    isSensitive: false,
    synonyms: [],
    configType: config.type,
    documentation: null,
  };
}
