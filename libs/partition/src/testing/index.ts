// @isthmus/partition/testing: the exactly-once property every format must have, for any format's
// tests (built in or registered by a third party). Needs vitest and fast-check (peer dependencies).
export {
  allRecordDigests,
  checkCoverProperty,
  expectExactCover,
  genericStrategies,
  readDigests,
} from './exact-cover.js';
export { recordDigest } from './record-digest.js';
