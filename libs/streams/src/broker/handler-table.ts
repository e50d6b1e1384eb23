import { ApiKey } from '../protocol/api-keys.js';
import type { ApiHandler } from './api-handler.js';
import { apiVersionsHandler } from './apis/api-versions.js';
import { createPartitionsHandler } from './apis/create-partitions.js';
import { createTopicsHandler } from './apis/create-topics.js';
import { deleteRecordsHandler } from './apis/delete-records.js';
import { deleteTopicsHandler } from './apis/delete-topics.js';
import { describeConfigsHandler } from './apis/describe-configs.js';
import { fetchHandler } from './apis/fetch.js';
import { groupApiHandlers } from './apis/group-apis.js';
import { initProducerIdHandler } from './apis/init-producer-id.js';
import { listOffsetsHandler } from './apis/list-offsets.js';
import { metadataHandler } from './apis/metadata.js';
import { offsetForLeaderEpochHandler } from './apis/offset-for-leader-epoch.js';
import { produceHandler } from './apis/produce.js';

/** Handlers by API key: what the broker serves, and what ApiVersions advertises. */
export type HandlerTable = ReadonlyMap<number, ApiHandler>;

/** Every API the broker serves but ApiVersions (which is derived from them). */
const SERVED: readonly ApiHandler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  deleteRecordsHandler,
  initProducerIdHandler,
  offsetForLeaderEpochHandler,
  describeConfigsHandler,
  createPartitionsHandler,
  ...groupApiHandlers,
];

/** The table of a broker: the served APIs and ApiVersions advertising all of them (itself included). */
export function handlerTable(served: readonly ApiHandler[] = SERVED): HandlerTable {
  const table = new Map<number, ApiHandler>();
  for (const handler of served) table.set(handler.apiKey, handler);
  table.set(
    ApiKey.ApiVersions,
    apiVersionsHandler(() => table.values()),
  );
  return table;
}
