import { mapConcurrent, type ObjectStore } from '@isthmus/storage';
import type { HeadStore } from './head-store.js';
import type { JsonDocuments } from './json-document.js';
import type { StoreLayout } from './layout.js';
import type { TopicCatalog, TopicInfo } from './topic-catalog.js';

/** Since when the sweeper has seen an object unreferenced, and when it last looked. */
interface Sighting {
  firstSeenMs: number;
  lastSeenMs: number;
}

/** The sweeper's ledger document: unreferenced objects by key. */
interface SweepLedger {
  unreferenced: Record<string, Sighting>;
}

/** What one sweep did. */
export interface SweepOutcome {
  /** Objects deleted. */
  deleted: string[];
  /** Unreferenced objects still within their grace period. */
  waiting: number;
}

/** Heads and chunks read at once by a sweep. */
const READ_CONCURRENCY = 8;

/**
 * Deletes what nothing refers to any more: segment objects no partition head or index chunk names
 * (orphans of crashed flushes, segments compacted away or below a moved log start — entries before
 * the log start do not count), index chunks their head no longer names, and the leftovers of
 * deleted topics. An object is deleted only once sweeps have seen it unreferenced for `graceMs`
 * (recorded in a ledger document, changed by compare-and-swap), with no two sightings further
 * apart than twice that: a flush that wrote its segment but has not committed its head yet, and a
 * reader still holding a head from before a compaction or retention, are never cut off. Safe to
 * run from several processes at once (a segment referenced once is never referenced again, and
 * every deletion rests on a fresh reading of the heads).
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
      const unreferenced: Record<string, Sighting> = {};
      deletable = [];
      for (const key of candidates) {
        const seen = current?.unreferenced[key];
        const continuous = seen !== undefined && nowMs - seen.lastSeenMs <= 2 * this.#graceMs;
        const firstSeenMs = continuous ? seen.firstSeenMs : nowMs;
        if (nowMs - firstSeenMs >= this.#graceMs) deletable.push(key);
        else unreferenced[key] = { firstSeenMs, lastSeenMs: nowMs };
      }
      waiting = Object.keys(unreferenced).length;
      return { unreferenced };
    });
    if (deletable.length > 0) await this.#store.deleteMany(deletable);
    return { deleted: deletable, waiting };
  }

  /** Every segment, index chunk and leftover topic object that nothing refers to now. */
  async #unreferenced(): Promise<string[]> {
    const topics = new Map<string, TopicInfo>();
    for (const topic of await this.#catalog.list())
      topics.set(this.#layout.topicData(topic.name, topic.id), topic);
    const heads: Array<{ topic: TopicInfo; partition: number }> = [];
    const chunks: string[] = [];
    const leftovers: string[] = [];
    for (const key of await this.#keysUnder(this.#layout.topicsPrefix)) {
      const parts = key.slice(this.#layout.topicsPrefix.length).split('/');
      if (parts.length === 2 && parts[1] === 'topic.json') continue;
      const topic = topics.get(`${this.#layout.topicsPrefix}${parts[0]}/${parts[1]}/`);
      if (!topic) leftovers.push(key);
      else if (parts.length === 4 && parts[3] === 'head.json')
        heads.push({ topic, partition: Number(parts[2]) });
      else if (parts.length === 5 && parts[3] === 'index') chunks.push(key);
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
    const segments = await this.#keysUnder(this.#layout.segmentsPrefix);
    return [...leftovers, ...chunks, ...segments].filter((key) => !referenced.has(key));
  }

  async #keysUnder(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const entry of this.#store.list({ prefix })) if (entry.kind === 'object') keys.push(entry.key);
    return keys;
  }
}
