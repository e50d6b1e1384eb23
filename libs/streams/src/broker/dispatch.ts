import { MalformedMessageError, UnsupportedVersionError } from '../errors.js';
import { ApiKey } from '../protocol/api-keys.js';
import {
  decodeRequest,
  decodeRequestHeader,
  encodeResponse,
  type RequestHeader,
} from '../protocol/frames.js';
import { KafkaErrorCode } from '../protocol/kafka-error-codes.js';
import type { BrokerContext } from './api-handler.js';
import { apiVersionsBody } from './apis/api-versions.js';
import type { HandlerTable } from './handler-table.js';

/**
 * Answers one request frame (its size prefix removed): the size-prefixed response, or `undefined`
 * when the API sends none (Produce with acks=0). The handler starts before this function returns,
 * so handlers of pipelined frames start in arrival order. An ApiVersions request of a version this
 * broker does not serve is answered in v0 with UNSUPPORTED_VERSION and the supported list, as
 * Kafka does; any other unknown API or version rejects with `UnsupportedVersionError`, and bytes
 * that do not decode with `MalformedMessageError`: the connection is then closed.
 */
export function dispatch(
  frame: Uint8Array,
  table: HandlerTable,
  context: BrokerContext,
  clientHost: string,
): Promise<Uint8Array | undefined> {
  let header: RequestHeader;
  try {
    header = decodeRequestHeader(frame);
  } catch (error) {
    return Promise.reject(malformed(error));
  }
  const handler = table.get(header.apiKey);
  if (!handler || header.apiVersion < handler.minVersion || header.apiVersion > handler.maxVersion) {
    if (header.apiKey === ApiKey.ApiVersions) {
      const body = apiVersionsBody(table.values(), KafkaErrorCode.UNSUPPORTED_VERSION);
      return Promise.resolve(encodeResponse({ ...header, apiVersion: 0 }, body));
    }
    return Promise.reject(
      new UnsupportedVersionError(`API key ${header.apiKey} version ${header.apiVersion} is not served`),
    );
  }
  let body: Record<string, unknown>;
  try {
    body = decodeRequest(frame).body as Record<string, unknown>;
  } catch (error) {
    return Promise.reject(malformed(error));
  }
  return handler
    .handle({ header, body, clientHost }, context)
    .then((response) => (response === undefined ? undefined : encodeResponse(header, response)));
}

function malformed(error: unknown): MalformedMessageError {
  if (error instanceof MalformedMessageError) return error;
  return new MalformedMessageError(`a request frame does not decode: ${String(error)}`, { cause: error });
}
