import { InvalidArgumentError } from '../../errors.js';
import type {
  InitProducerIdRequest,
  InitProducerIdResponse,
} from '../../protocol/messages/init-producer-id.js';
import type { ApiHandler } from '../api-handler.js';
import { kafkaErrorCodeOf } from '../error-code.js';

/**
 * InitProducerId (key 22) v0-4: a fresh producer id (epoch 0) from the store's allocator for an
 * idempotent producer; a producer re-initializing (v3+, its old id and epoch in the request) gets a
 * fresh id too, which resets its sequences as an epoch bump would. Transactions are not served: a
 * transactional id is answered INVALID_REQUEST.
 */
export const initProducerIdHandler: ApiHandler<InitProducerIdRequest, InitProducerIdResponse> = {
  apiKey: 22,
  minVersion: 0,
  maxVersion: 4,
  async handle({ body }, context) {
    try {
      if (body.transactionalId != null) {
        throw new InvalidArgumentError('transactions are not supported (a transactional id was given)');
      }
      const producerId = await context.log.allocateProducerId();
      return { throttleTimeMs: 0, errorCode: 0, producerId, producerEpoch: 0 };
    } catch (error) {
      return { throttleTimeMs: 0, errorCode: kafkaErrorCodeOf(error), producerId: -1n, producerEpoch: -1 };
    }
  },
};
