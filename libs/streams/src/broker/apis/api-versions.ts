import { ApiKey } from '../../protocol/api-keys.js';
import type { ApiVersionsRequest, ApiVersionsResponse } from '../../protocol/messages/api-versions.js';
import type { ApiHandler } from '../api-handler.js';

/** The ApiVersions body listing `handlers`' version ranges, with `errorCode` (35 when the asked version is unknown). */
export function apiVersionsBody(handlers: Iterable<ApiHandler>, errorCode = 0): ApiVersionsResponse {
  const apiKeys = [...handlers]
    .map((handler) => ({
      apiKey: handler.apiKey,
      minVersion: handler.minVersion,
      maxVersion: handler.maxVersion,
    }))
    .sort((left, right) => left.apiKey - right.apiKey);
  return { errorCode, apiKeys, throttleTimeMs: 0 };
}

/**
 * ApiVersions (key 18) v0-3: the versions of every API in the table `handlers()` returns (the
 * table includes this handler; a function breaks the cycle). An unsupported ApiVersions version is
 * answered by the dispatcher, in v0, with this same list.
 */
export function apiVersionsHandler(
  handlers: () => Iterable<ApiHandler>,
): ApiHandler<ApiVersionsRequest, ApiVersionsResponse> {
  return {
    apiKey: ApiKey.ApiVersions,
    minVersion: 0,
    maxVersion: 3,
    handle: async () => apiVersionsBody(handlers()),
  };
}
