// A latch that tasks running the `hold` fixture wait on, through the executor's store: the test
// learns that (and where) they run, and decides when they end. Waiting is on the store's state,
// never on a fixed sleep.
import type { ObjectStore } from '@isthmus/storage';
import { expect, vi } from 'vitest';
import type { HoldInput } from '../fixtures/functions.js';

/** How long to wait for tasks to start at most: a safety net under the test's own time limit. */
const START_TIMEOUT_MS = 45_000;

/** One latch, under `latch/<name>/` in `store`. */
export class Latch {
  constructor(
    readonly store: ObjectStore,
    readonly name: string,
  ) {}

  /** The input of `hold` that waits on this latch. */
  get input(): HoldInput {
    return { started: `latch/${this.name}/started`, release: `latch/${this.name}/release` };
  }

  /** The task attempts that have started on this latch so far: attempt id → the worker running it. */
  async starts(): Promise<Map<string, string>> {
    const prefix = `${this.input.started}/`;
    const starts = new Map<string, string>();
    for await (const entry of this.store.list({ prefix })) {
      if (entry.kind !== 'object') continue;
      const { worker } = JSON.parse(Buffer.from(await this.store.get(entry.key)).toString()) as {
        worker: string;
      };
      starts.set(entry.key.slice(prefix.length), worker);
    }
    return starts;
  }

  /** Waits until `count` task attempts have started on this latch; returns them (see `starts`). */
  async started(count: number): Promise<Map<string, string>> {
    return vi.waitFor(
      async () => {
        const starts = await this.starts();
        expect(starts.size).toBeGreaterThanOrEqual(count);
        return starts;
      },
      { timeout: START_TIMEOUT_MS, interval: 25 },
    );
  }

  /** Lets every task held on this latch, and every later one, finish. */
  async release(): Promise<void> {
    await this.store.put(this.input.release, 'released');
  }
}
