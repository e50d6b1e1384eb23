/** A worker an `ElasticPool` manages: a thread, a runtime process, an execution environment. */
export interface PoolMember {
  /** Whether it can take another task (false once it has died or been stopped). */
  readonly reusable: boolean;
  /** Ends it. */
  stop(): Promise<void>;
}

/**
 * The elasticity of the local and Lambda backends: members are started as tasks queue up (up to
 * `maxSize`), reused while warm, stopped after `idleTimeoutMs` idle (down to zero), and replaced
 * when they die. One member serves one task at a time.
 */
export class ElasticPool<T extends PoolMember> {
  readonly #start: () => Promise<T>;
  readonly #idleTimeoutMs: number;
  readonly #idle: T[] = [];
  readonly #all = new Set<T>();
  readonly #idleTimers = new Map<T, NodeJS.Timeout>();
  readonly #waiting: Array<{ resolve(member: T): void; reject(error: unknown): void }> = [];
  #starting = 0;
  #closed = false;

  constructor(
    start: () => Promise<T>,
    readonly maxSize: number,
    idleTimeoutMs: number,
  ) {
    this.#start = start;
    this.#idleTimeoutMs = idleTimeoutMs;
  }

  /** Members alive now, busy or idle. */
  get size(): number {
    return this.#all.size;
  }

  /** A warm idle member, a new one if there is room, or the next one released. */
  async acquire(): Promise<T> {
    for (let idle = this.#idle.pop(); idle; idle = this.#idle.pop()) {
      clearTimeout(this.#idleTimers.get(idle));
      this.#idleTimers.delete(idle);
      if (idle.reusable) return idle;
      void this.discard(idle); // it ended while idle
    }
    if (this.#all.size + this.#starting < this.maxSize) return this.#spawn();
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** Hands a member back after a task: to the next waiter, or idle until its timer stops it. */
  release(member: T): void {
    if (!member.reusable) {
      void this.discard(member);
      return;
    }
    if (!this.#all.has(member)) return;
    const waiter = this.#waiting.shift();
    if (waiter) {
      waiter.resolve(member);
      return;
    }
    this.#idle.push(member);
    const timer = setTimeout(() => {
      this.#idleTimers.delete(member);
      const at = this.#idle.indexOf(member);
      if (at >= 0) this.#idle.splice(at, 1);
      void this.discard(member);
    }, this.#idleTimeoutMs);
    timer.unref();
    this.#idleTimers.set(member, timer);
  }

  /** Stops a member and frees its slot; a waiter queued behind a full pool gets a fresh member. */
  async discard(member: T): Promise<void> {
    this.#all.delete(member);
    const waiter = this.#waiting.shift();
    if (waiter) this.#spawn().then(waiter.resolve, waiter.reject);
    await member.stop();
  }

  /** Stops every member and fails every waiter. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error('the pool was closed'));
    for (const timer of this.#idleTimers.values()) clearTimeout(timer);
    this.#idleTimers.clear();
    const members = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(members.map((member) => member.stop()));
  }

  async #spawn(): Promise<T> {
    this.#starting++;
    try {
      const member = await this.#start();
      if (this.#closed) {
        await member.stop();
        throw new Error('the pool was closed');
      }
      this.#all.add(member);
      return member;
    } finally {
      this.#starting--;
    }
  }
}
