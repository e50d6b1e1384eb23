import { mapConcurrent, type ObjectInfo, type ObjectStore } from '@isthmus/storage';
import type { HeadStore } from './head-store.js';
import type { JsonDocuments } from './json-document.js';
import type { StoreLayout } from './layout.js';
import type { TopicCatalog, TopicInfo } from './topic-catalog.js';

/** The sweeper's ledger document: when each unreferenced object was first seen so, by key. */
interface SweepLedger {
  unreferenced: Record<string, number>;
}

/** What one sweep did. */
export interface SweepOutcome {
  /** Objects deleted. */
  deleted: string[];
  /** Unreferenced objects still within a grace period. */
  waiting: number;
}

/** Heads and chunks read at once by a sweep. */
const READ_CONCURRENCY = 8;

/**
 * Deletes what nothing refers to any more: segment objects no partition head or index chunk names
 * (orphans of crashed flushes, segments compacted away or below a moved log start — entries before
 * the log start do not count), index chunks their head no longer names, and the leftovers of
 * deleted topics. Two grace periods (`graceMs`) protect what is still in use:
 * - an object younger than the grace period is never a candidate: a flush or compaction that wrote
 *   it may not have committed its head yet (commits must take less than the grace period); objects
 *   are written once under keys never reused, so one older than that never becomes referenced;
 * - a candidate is deleted only once sweeps have seen it unreferenced for the grace period
 *   (recorded in a ledger document, changed by compare-and-swap), so a reader still holding a head
 *   from before a compaction or a retention still finds its segments.
 * Safe to run from several processes at once: every deletion rests on this sweep's own reading of
 * the heads, and a candidate stays unreferenced.
 */
export class SegmentSweeper {
  readonly #store: ObjectStore;
  readonly #json: JsonDocuments;
  readonly #layout: StoreLayout;
  readonly #heads: HeadStore;
  readonly #catalog: TopicCatalog;
  readonly #graceMs: number;

  constructor(
    store: ObjectStore,
    json: JsonDocuments,
    layout: StoreLayout,
    heads: HeadStore,
    catalog: TopicCatalog,
    graceMs: number,
  ) {
    this.#store = store;
    this.#json = json;
    this.#layout = layout;
    this.#heads = heads;
    this.#catalog = catalog;
    this.#graceMs = graceMs;
  }

  /** One sweep: finds the unreferenced objects, records them, deletes those past their grace. */
  async sweep(): Promise<SweepOutcome> {
    const candidates = await this.#unreferenced();
    const nowMs = Date.now();
    let deletable: string[] = [];
    let waiting = 0;
    await this.#json.update<SweepLedger>(this.#layout.sweepLedger, (current) => {
      const unreferenced: Record<string, number> = {};
      deletable = [];
      waiting = 0;
      for (const { key, lastModified } of candidates) {
        if (nowMs - lastModified.getTime() < this.#graceMs) {
          waiting++;
          continue;
        }
        const firstSeenMs = current?.unreferenced[key] ?? nowMs;
        if (nowMs - firstSeenMs >= this.#graceMs) deletable.push(key);
        else {
          unreferenced[key] = firstSeenMs;
          waiting++;
        }
      }
      return { unreferenced };
    });
    if (deletable.length > 0) await this.#store.deleteMany(deletable);
    return { deleted: deletable, waiting };
  }

  /** Every segment, index chunk and leftover topic object that nothing refers to now. */
  async #unreferenced(): Promise<ObjectInfo[]> {
    const topics = new Map<string, TopicInfo>();
    for (const topic of await this.#catalog.list())
      topics.set(this.#layout.topicData(topic.name, topic.id), topic);
    const heads: Array<{ topic: TopicInfo; partition: number }> = [];
    const chunks: ObjectInfo[] = [];
    const leftovers: ObjectInfo[] = [];
    for (const object of await this.#objectsUnder(this.#layout.topicsPrefix)) {
      const parts = object.key.slice(this.#layout.topicsPrefix.length).split('/');
      if (parts.length === 2 && parts[1] === 'topic.json') continue;
      const topic = topics.get(`${this.#layout.topicsPrefix}${parts[0]}/${parts[1]}/`);
      if (!topic) leftovers.push(object);
      else if (parts.length === 4 && parts[3] === 'head.json')
        heads.push({ topic, partition: Number(parts[2]) });
      else if (parts.length === 5 && parts[3] === 'index') chunks.push(object);
    }
    const referenced = new Set<string>();
    await mapConcurrent(heads, READ_CONCURRENCY, async ({ topic, partition }) => {
      const { value: head } = await this.#heads.get(topic, partition, 0);
      const live = (entry: { lastOffset: number }) => entry.lastOffset >= head.logStartOffset;
      for (const entry of head.entries.filter(live)) referenced.add(entry.segmentKey);
      for (const ref of head.chunks) {
        referenced.add(ref.key);
        const { entries } = await this.#heads.readChunk(ref);
        for (const entry of entries.filter(live)) referenced.add(entry.segmentKey);
      }
    });
    const segments = await this.#objectsUnder(this.#layout.segmentsPrefix);
    return [...leftovers, ...chunks, ...segments].filter((object) => !referenced.has(object.key));
  }

  async #objectsUnder(prefix: string): Promise<ObjectInfo[]> {
    const objects: ObjectInfo[] = [];
    for await (const entry of this.#store.list({ prefix })) if (entry.kind === 'object') objects.push(entry);
    return objects;
  }
}
