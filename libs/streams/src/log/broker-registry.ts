import { NotFoundError, type ObjectStore } from '@isthmus/storage';
import { InvalidArgumentError } from '../errors.js';
import { type JsonDocuments, parseJson } from './json-document.js';
import type { StoreLayout } from './layout.js';

/** A broker as clients reach it. */
export interface BrokerInfo {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

/** A broker's lease object: it is live until `expiresAtMs` unless it heartbeats again. */
interface Lease extends BrokerInfo {
  expiresAtMs: number;
}

/** Default lease length; a broker heartbeats every third of it. */
export const DEFAULT_LEASE_MS = 10_000;

/** Leases expired this many lease lengths ago are deleted by `live()`. */
const FORGET_AFTER_LEASES = 10;

/**
 * The live brokers of a store. A broker registers with a node id taken from a compare-and-swap
 * counter (never reused), writes a lease object and rewrites it every third of `leaseMs`; a broker
 * that stops heartbeating drops out of `live()` once its lease expires. Expiry is judged by the
 * reader's clock against the writer's, so clocks should agree to well within a lease.
 */
export class BrokerRegistry {
  readonly #store: ObjectStore;
  readonly #json: JsonDocuments;
  readonly #layout: StoreLayout;
  readonly #leaseMs: number;
  #self: BrokerInfo | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(store: ObjectStore, json: JsonDocuments, layout: StoreLayout, leaseMs = DEFAULT_LEASE_MS) {
    this.#store = store;
    this.#json = json;
    this.#layout = layout;
    this.#leaseMs = leaseMs;
  }

  /** This process's node id once registered. */
  get nodeId(): number | undefined {
    return this.#self?.nodeId;
  }

  /** Registers this process as a broker and starts heartbeating; resolves with its new node id. */
  async register(address: { host: string; port: number; rack?: string | null }): Promise<number> {
    if (this.#self) throw new InvalidArgumentError(`already registered as node ${this.#self.nodeId}`);
    const nodeId = await this.#json.takeNext(this.#layout.nodeIdCounter);
    this.#self = { nodeId, host: address.host, port: address.port, rack: address.rack ?? null };
    await this.heartbeat();
    this.#heartbeat = setInterval(() => void this.heartbeat().catch(() => undefined), this.#leaseMs / 3);
    this.#heartbeat.unref();
    return nodeId;
  }

  /** Renews this broker's lease now (the timer does it every third of the lease). */
  async heartbeat(): Promise<void> {
    const self = this.#self;
    if (!self) return;
    const lease: Lease = { ...self, expiresAtMs: Date.now() + this.#leaseMs };
    await this.#json.write(this.#layout.brokerLease(self.nodeId), lease);
  }

  /** The brokers whose leases have not expired, by node id. */
  async live(): Promise<BrokerInfo[]> {
    const keys: string[] = [];
    for await (const entry of this.#store.list({ prefix: this.#layout.brokersPrefix })) {
      if (entry.kind === 'object') keys.push(entry.key);
    }
    const now = Date.now();
    const leases = await Promise.all(keys.map((key) => this.#readLease(key)));
    const forgotten = keys.filter((_, i) => {
      const lease = leases[i];
      return lease !== undefined && lease.expiresAtMs < now - FORGET_AFTER_LEASES * this.#leaseMs;
    });
    if (forgotten.length > 0) void this.#store.deleteMany(forgotten).catch(() => undefined);
    return leases
      .filter((lease): lease is Lease => lease !== undefined && lease.expiresAtMs > now)
      .map(({ nodeId, host, port, rack }) => ({ nodeId, host, port, rack }))
      .sort((a, b) => a.nodeId - b.nodeId);
  }

  /** Stops heartbeating and deletes this broker's lease (it leaves `live()` at once). */
  async deregister(): Promise<void> {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    const self = this.#self;
    this.#self = undefined;
    if (self) await this.#store.delete(this.#layout.brokerLease(self.nodeId));
  }

  /** Stops heartbeating but leaves the lease to expire (what a crash looks like to others). */
  stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  async #readLease(key: string): Promise<Lease | undefined> {
    try {
      return parseJson<Lease>(key, await this.#store.get(key));
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }
}
