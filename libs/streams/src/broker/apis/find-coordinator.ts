import { KafkaErrorCode } from '../../protocol/kafka-error-codes.js';
import type {
  Coordinator,
  FindCoordinatorRequest,
  FindCoordinatorResponse,
} from '../../protocol/messages/find-coordinator.js';
import type { ApiHandler, BrokerContext } from '../api-handler.js';

/** FindCoordinator's key type of consumer groups (1 is transactions, which this broker does not coordinate). */
const GROUP_KEY_TYPE = 0;

/**
 * FindCoordinator (key 10) v0-4: the broker that coordinates a group, the same whichever broker is
 * asked (a deterministic choice over the live brokers); v4 answers a batch of keys.
 */
export const findCoordinatorHandler: ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse> = {
  apiKey: 10,
  minVersion: 0,
  maxVersion: 4,
  async handle({ header, body }, context) {
    if (header.apiVersion >= 4) {
      const coordinators = await Promise.all(
        (body.coordinatorKeys ?? []).map((key) =>
          coordinatorOf(key, body.keyType ?? GROUP_KEY_TYPE, context),
        ),
      );
      return { throttleTimeMs: 0, coordinators };
    }
    const { errorCode, errorMessage, nodeId, host, port } = await coordinatorOf(
      body.key ?? '',
      body.keyType ?? GROUP_KEY_TYPE,
      context,
    );
    return { throttleTimeMs: 0, errorCode, errorMessage, nodeId, host, port };
  },
};

async function coordinatorOf(key: string, keyType: number, context: BrokerContext): Promise<Coordinator> {
  const none = { key, nodeId: -1, host: '', port: -1 };
  if (keyType !== GROUP_KEY_TYPE) {
    return {
      ...none,
      errorCode: KafkaErrorCode.COORDINATOR_NOT_AVAILABLE,
      errorMessage: 'only consumer groups are coordinated',
    };
  }
  const broker = await context.groups.coordinatorOf(key);
  if (!broker)
    return { ...none, errorCode: KafkaErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: 'no live broker' };
  return {
    key,
    nodeId: broker.nodeId,
    host: broker.host,
    port: broker.port,
    errorCode: KafkaErrorCode.NONE,
    errorMessage: null,
  };
}
