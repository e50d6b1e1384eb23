import type { HeadStore } from './head-store.js';
import type { TopicInfo } from './topic-catalog.js';

/** A position a fetch waits past: data is there once the high watermark exceeds `offset`. */
export interface WatchedPosition {
  topic: TopicInfo;
  partition: number;
  offset: number;
}

interface Waiter {
  positions: WatchedPosition[];
  wake: () => void;
}

/**
 * Long-poll support: wakes waiters when a watched partition's high watermark passes their offset.
 * Commits of this process wake them at once (`notify`); other brokers' commits are seen by polling
 * the watched heads every `pollIntervalMs` while anyone waits (one GET per partition per interval,
 * shared by all waiters).
 */
export class DataWatcher {
  readonly #heads: HeadStore;
  readonly #pollIntervalMs: number;
  readonly #waiters = new Set<Waiter>();
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(heads: HeadStore, pollIntervalMs: number) {
    this.#heads = heads;
    this.#pollIntervalMs = pollIntervalMs;
  }

  /** Resolves when any position has data past its offset, after `timeoutMs`, or on `signal`. */
  async wait(positions: WatchedPosition[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (positions.length === 0 || signal?.aborted) return;
    const heads = await Promise.all(
      positions.map((position) => this.#heads.get(position.topic, position.partition, this.#pollIntervalMs)),
    );
    if (positions.some((position, i) => heads[i]!.value.nextOffset > position.offset)) return;
    await new Promise<void>((resolve) => {
      const waiter: Waiter = { positions, wake: () => finish() };
      const timer = setTimeout(() => finish(), timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        this.#waiters.delete(waiter);
        if (this.#waiters.size === 0) this.#stopPolling();
        resolve();
      };
      signal?.addEventListener('abort', finish, { once: true });
      this.#waiters.add(waiter);
      this.#schedulePoll();
      if (signal?.aborted) finish(); // aborted while the heads were read
    });
  }

  /** Tells waiters that `topic`/`partition` now ends before `nextOffset`. */
  notify(topic: TopicInfo, partition: number, nextOffset: number): void {
    for (const waiter of [...this.#waiters]) {
      const reached = waiter.positions.some(
        (position) =>
          position.topic.id === topic.id && position.partition === partition && nextOffset > position.offset,
      );
      if (reached) waiter.wake();
    }
  }

  /** Wakes every waiter (used on close). */
  wakeAll(): void {
    for (const waiter of [...this.#waiters]) waiter.wake();
  }

  #schedulePoll(): void {
    if (this.#timer || this.#polling || this.#waiters.size === 0) return;
    this.#timer = setTimeout(() => void this.#poll(), this.#pollIntervalMs);
  }

  async #poll(): Promise<void> {
    this.#timer = undefined;
    this.#polling = true;
    const watched = new Map<string, WatchedPosition>();
    for (const waiter of this.#waiters) {
      for (const position of waiter.positions)
        watched.set(`${position.topic.id}/${position.partition}`, position);
    }
    await Promise.all(
      [...watched.values()].map(async ({ topic, partition }) => {
        try {
          const head = await this.#heads.get(topic, partition, 0);
          this.notify(topic, partition, head.value.nextOffset);
        } catch {
          // A failed poll is retried at the next interval; the waiter's timeout still bounds the wait.
        }
      }),
    );
    this.#polling = false;
    this.#schedulePoll();
  }

  #stopPolling(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
