/**
 * Every key of the store layout, in one place (`prefix` is prepended to all of them):
 *
 * - `topics/<name>/topic.json` — a topic's catalog entry (id, partitions, config)
 * - `topics/<name>/<topicId>/<partition>/head.json` — a partition's head (next offset, recent index
 *   entries, idempotent producers' states)
 * - `topics/<name>/<topicId>/<partition>/index/<base>-<last>.json` — immutable chunks of older index
 *   entries rolled out of the head (offsets zero-padded to 20 digits, so they list in order)
 * - `segments/<yyyymmddhh>/<time>-<node>-<uuid>.seg` — one segment object per flush
 * - `groups/<group>/<name>.json` — a consumer group's committed offsets and coordinator state
 * - `brokers/nodes/<nodeId>.json` — broker leases; `brokers/next-node-id.json` — node id counter
 * - `producers/next-id.json` — the producer id counter
 *
 * Heads live under the topic id, so a topic deleted and created again starts from empty heads.
 */
export class StoreLayout {
  constructor(readonly prefix = '') {}

  /** The prefix under which every topic has a folder. */
  get topicsPrefix(): string {
    return `${this.prefix}topics/`;
  }

  /** A topic's catalog entry. */
  topic(name: string): string {
    return `${this.topicsPrefix}${name}/topic.json`;
  }

  /** The folder of everything a topic incarnation (`topicId`) owns. */
  topicData(name: string, topicId: string): string {
    return `${this.topicsPrefix}${name}/${topicId}/`;
  }

  /** A partition's head document. */
  partitionHead(name: string, topicId: string, partition: number): string {
    return `${this.topicData(name, topicId)}${partition}/head.json`;
  }

  /** An immutable chunk of a partition's older index entries, covering `[baseOffset, lastOffset]`. */
  indexChunk(
    name: string,
    topicId: string,
    partition: number,
    baseOffset: number,
    lastOffset: number,
  ): string {
    return `${this.topicData(name, topicId)}${partition}/index/${pad(baseOffset)}-${pad(lastOffset)}.json`;
  }

  /** A new segment key for a flush written at `now` by `node`. */
  segment(now: Date, node: string, unique: string): string {
    const hour = now.toISOString().slice(0, 13).replace(/[-T]/g, '');
    return `${this.prefix}segments/${hour}/${String(now.getTime()).padStart(13, '0')}-${node}-${unique}.seg`;
  }

  /** The prefix under which every group has a folder. */
  get groupsPrefix(): string {
    return `${this.prefix}groups/`;
  }

  /** A consumer group's document `name` (e.g. `offsets`, or the coordinator's `state`). */
  groupDocument(group: string, name: string): string {
    return `${this.groupsPrefix}${encodeGroupId(group)}/${name}.json`;
  }

  /** The prefix of broker leases. */
  get brokersPrefix(): string {
    return `${this.prefix}brokers/nodes/`;
  }

  /** A broker's lease. */
  brokerLease(nodeId: number): string {
    return `${this.brokersPrefix}${nodeId}.json`;
  }

  /** The counter node ids are allocated from. */
  get nodeIdCounter(): string {
    return `${this.prefix}brokers/next-node-id.json`;
  }

  /** The counter producer ids are allocated from. */
  get producerIdCounter(): string {
    return `${this.prefix}producers/next-id.json`;
  }
}

/**
 * A group id as one key segment: percent-encoded, with a leading `.` encoded too (so `.`, `..` and
 * reserved `.isthmus-` names stay plain segments); the empty id becomes `%`.
 */
export function encodeGroupId(group: string): string {
  return group === '' ? '%' : encodeURIComponent(group).replace(/^\./, '%2E');
}

/** The group id a key segment written by `encodeGroupId` stands for. */
export function decodeGroupId(segment: string): string {
  return segment === '%' ? '' : decodeURIComponent(segment);
}

function pad(offset: number): string {
  return String(offset).padStart(20, '0');
}
