/**
 * `@isthmus/storage/testing`: the conformance suite every `ObjectStore` must pass, for running
 * against your own store implementation in vitest.
 */
export {
  describeObjectStoreConformance,
  type ObjectStoreConformanceOptions,
} from './object-store-conformance.js';
