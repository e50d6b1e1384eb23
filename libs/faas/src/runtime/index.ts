/**
 * The runtime side of `@isthmus/faas`: what a built bundle contains around the user's functions.
 * Function authors import only the `TaskContext` type from here.
 */
export {
  type BundleHandlers,
  createHandlers,
  runMainIfEntryPoint,
  serveWorkerThreadIfAsked,
  WORKER_MARKER,
  type WorkerMessage,
} from './handlers.js';
export { encodedToPayload, fromPayload, payloadBytes, toPayload } from './payload.js';
export {
  type Payload,
  PROTOCOL_VERSION,
  type RemoteErrorInfo,
  type TaskEnvelope,
  type TaskOutcome,
  type WorkerStats,
} from './protocol.js';
export {
  exportedFunctions,
  type FunctionModule,
  runTask,
  type TaskContext,
  toErrorInfo,
} from './run-task.js';
export { envelopeKeyOf, outcomeKeyOf } from './task-keys.js';
export { decodeValue, encodeValue, type Value } from './value-codec.js';
