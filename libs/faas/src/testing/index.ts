/**
 * `@isthmus/faas/testing`: the backend conformance suite, for vitest. It takes the backend and the
 * stores to run on as arguments, so a third party can run it against a backend of its own.
 */
export {
  type BackendConformanceOptions,
  type ConformanceStore,
  describeBackendConformance,
  type OpenedConformanceStore,
} from './backend-conformance.js';
export { conformanceFunctionsEntry } from './conformance-functions-entry.js';
