import { PreconditionFailedError, type PutBody, type PutOptions, type PutResult } from '@isthmus/storage';
import { ForwardingStore } from './forwarding-store.js';

/**
 * A FAULT-INJECTING FAKE around a real store: the next `count` conditional writes whose key passes
 * `matches` take effect, but their caller is told `PreconditionFailedError` — what a writer sees
 * when its answer was lost and another writer changed the object before it could check.
 */
export class LostAnswerStore extends ForwardingStore {
  #remaining = 0;
  #matches: (key: string) => boolean = () => false;

  /** Loses the answers of the next `count` conditional writes to keys passing `matches`. */
  loseAnswers(count: number, matches: (key: string) => boolean): void {
    this.#remaining = count;
    this.#matches = matches;
  }

  override async put(key: string, body: PutBody, options?: PutOptions): Promise<PutResult> {
    const result = await this.inner.put(key, body, options);
    const conditional = options?.ifMatch !== undefined || options?.ifNoneMatch !== undefined;
    if (conditional && this.#remaining > 0 && this.#matches(key)) {
      this.#remaining--;
      throw new PreconditionFailedError(key, 'injected: the answer was lost');
    }
    return result;
  }
}
