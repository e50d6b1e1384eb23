import { InvalidPartitionsError } from '../../errors.js';
import type {
  CreatePartitionsRequest,
  CreatePartitionsResponse,
} from '../../protocol/messages/create-partitions.js';
import type { ApiHandler, BrokerContext } from '../api-handler.js';
import { errorMessageOf, kafkaErrorCodeOf } from '../error-code.js';

type TopicResult = CreatePartitionsResponse['results'][number];

/**
 * CreatePartitions (key 37) v0-3: grows each topic to `count` partitions (INVALID_PARTITIONS when
 * that does not grow it); `validateOnly` checks without changing the catalog.
 */
export const createPartitionsHandler: ApiHandler<CreatePartitionsRequest, CreatePartitionsResponse> = {
  apiKey: 37,
  minVersion: 0,
  maxVersion: 3,
  async handle({ body }, context) {
    return {
      throttleTimeMs: 0,
      results: await Promise.all(
        body.topics.map((topic) => grown(topic.name, topic.count, body.validateOnly, context)),
      ),
    };
  },
};

async function grown(
  name: string,
  count: number,
  validateOnly: boolean,
  context: BrokerContext,
): Promise<TopicResult> {
  try {
    const topic = await context.log.describeTopic(name);
    if (count <= topic.partitions) {
      throw new InvalidPartitionsError(
        `topic ${name} has ${topic.partitions} partitions; ${count} does not grow it`,
      );
    }
    if (!validateOnly) await context.log.addPartitions(name, count);
    return { name, errorCode: 0, errorMessage: null };
  } catch (error) {
    return { name, errorCode: kafkaErrorCodeOf(error), errorMessage: errorMessageOf(error) };
  }
}
