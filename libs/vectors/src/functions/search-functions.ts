// The search helper's functions (indexes, shards), part of the vectors functions module.
export { buildTableIndexes } from '../indexes/index-functions.js';
export { searchShard, writeShardBlock } from '../shards/shard-functions.js';
