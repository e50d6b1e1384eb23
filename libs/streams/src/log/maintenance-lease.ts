import { randomUUID } from 'node:crypto';
import type { JsonDocuments } from './json-document.js';

/** The lease document: who holds it and until when (by the holder's clock). */
interface LeaseDocument {
  holder: string;
  expiresAtMs: number;
}

/**
 * A lease on background maintenance, taken and renewed by compare-and-swap on one document, so that
 * of several logs (brokers) on a store one at a time retains, compacts and sweeps. A holder that
 * dies is replaced once its lease expires. Clocks should agree to well within a lease.
 */
export class MaintenanceLease {
  readonly #json: JsonDocuments;
  readonly #key: string;
  readonly #leaseMs: number;
  readonly #holder = randomUUID();

  constructor(json: JsonDocuments, key: string, leaseMs: number) {
    this.#json = json;
    this.#key = key;
    this.#leaseMs = leaseMs;
  }

  /** Takes or renews the lease; resolves with whether this process holds it now. */
  async acquire(): Promise<boolean> {
    const nowMs = Date.now();
    const lease = await this.#json.update<LeaseDocument>(this.#key, (current) => {
      if (current && current.holder !== this.#holder && current.expiresAtMs > nowMs) return undefined;
      return { holder: this.#holder, expiresAtMs: nowMs + this.#leaseMs };
    });
    return lease?.value.holder === this.#holder;
  }

  /** Gives the lease up if this process holds it, so another may take it at once. */
  async release(): Promise<void> {
    await this.#json.update<LeaseDocument>(this.#key, (current) =>
      current?.holder === this.#holder ? { holder: this.#holder, expiresAtMs: 0 } : undefined,
    );
  }
}
