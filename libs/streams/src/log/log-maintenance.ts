import type { ObjectStore } from '@isthmus/storage';
import { type CompactionSettings, DEFAULT_COMPACTION, SegmentCompactor } from './compaction.js';
import type { HeadStore } from './head-store.js';
import type { JsonDocuments } from './json-document.js';
import type { StoreLayout } from './layout.js';
import { MaintenanceLease } from './maintenance-lease.js';
import { applyRetention, DEFAULT_RETENTION, type RetentionPolicy, retentionPolicyOf } from './retention.js';
import { SegmentSweeper, type SweepOutcome } from './segment-sweeper.js';
import type { TopicCatalog } from './topic-catalog.js';

/** Settings of background maintenance (retention, compaction of small segments, sweeping). */
export interface MaintenanceOptions {
  /** Time between two passes of the background timer (default 60 s). */
  intervalMs?: number;
  /** Retention of topics whose config does not set `retention.ms` / `retention.bytes` (default 7 days, unlimited). */
  retention?: Partial<RetentionPolicy>;
  /** When runs of small index entries are rewritten into one segment. */
  compaction?: Partial<CompactionSettings>;
  /**
   * How old an unreferenced object must be, and then how long sweeps must have seen it unreferenced,
   * before the sweeper deletes it (default 10 min; must exceed the time any commit takes).
   */
  sweepGraceMs?: number;
  /**
   * Length of the maintenance lease, so one log of a store maintains at a time (default three
   * intervals, at least 30 s). `false`: no lease — every log maintains (each step is safe run
   * concurrently; the lease only saves repeated work).
   */
  leaseMs?: number | false;
}

/** What one maintenance pass did. */
export interface MaintenanceReport {
  /** `false` when another log held the lease (nothing was done). */
  ran: boolean;
  /** Partitions whose log start retention moved. */
  logStarts: Array<{ topic: string; partition: number; before: number; after: number }>;
  /** Runs of small entries swapped for one entry each. */
  compacted: number;
  /** Runs whose swap was refused because the entries changed meanwhile (retried next pass). */
  refused: number;
  /** The sweep's result (absent if it failed). */
  swept?: SweepOutcome;
  /** Steps that failed this pass (retried next pass). */
  failures: Array<{ step: 'retention' | 'compaction' | 'sweep' | 'topics'; where?: string; error: unknown }>;
}

/** The parts of a log that maintenance works on. */
export interface MaintainedLog {
  store: ObjectStore;
  json: JsonDocuments;
  layout: StoreLayout;
  heads: HeadStore;
  catalog: TopicCatalog;
  /** The writer's name in segment keys. */
  node: () => string;
}

/** Default `MaintenanceOptions.intervalMs`. */
export const DEFAULT_MAINTENANCE_INTERVAL_MS = 60_000;
/** Default `MaintenanceOptions.sweepGraceMs`. */
export const DEFAULT_SWEEP_GRACE_MS = 10 * 60_000;

/**
 * Background maintenance of a log, so a broker needs no separate service: each pass (under a lease
 * shared by all logs of the store) applies every partition's retention, compacts its small index
 * entries, then sweeps unreferenced objects. Passes never overlap within a process.
 */
export class LogMaintenance {
  readonly #log: MaintainedLog;
  readonly #intervalMs: number;
  readonly #retention: RetentionPolicy;
  readonly #compactor: SegmentCompactor;
  readonly #sweeper: SegmentSweeper;
  readonly #lease: MaintenanceLease | undefined;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<MaintenanceReport> | undefined;
  #stopped = false;

  constructor(log: MaintainedLog, options: MaintenanceOptions = {}) {
    this.#log = log;
    this.#intervalMs = options.intervalMs ?? DEFAULT_MAINTENANCE_INTERVAL_MS;
    this.#retention = { ...DEFAULT_RETENTION, ...options.retention };
    this.#compactor = new SegmentCompactor(
      log.store,
      log.layout,
      log.heads,
      { ...DEFAULT_COMPACTION, ...options.compaction },
      log.node,
    );
    this.#sweeper = new SegmentSweeper(
      log.store,
      log.json,
      log.layout,
      log.heads,
      log.catalog,
      options.sweepGraceMs ?? DEFAULT_SWEEP_GRACE_MS,
    );
    const leaseMs = options.leaseMs ?? Math.max(3 * this.#intervalMs, 30_000);
    this.#lease =
      leaseMs === false ? undefined : new MaintenanceLease(log.json, log.layout.maintenanceLease, leaseMs);
  }

  /** Starts the background timer (a pass every `intervalMs`, the first one interval from now). */
  start(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setTimeout(async () => {
      await this.runOnce().catch(() => undefined);
      this.#timer = undefined;
      this.start();
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer, waits for a pass under way, and gives up the lease. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#pass?.catch(() => undefined);
    await this.#lease?.release().catch(() => undefined);
  }

  /** One pass now (joins the one under way, if any). */
  runOnce(): Promise<MaintenanceReport> {
    this.#pass ??= this.#run().finally(() => {
      this.#pass = undefined;
    });
    return this.#pass;
  }

  async #run(): Promise<MaintenanceReport> {
    const report: MaintenanceReport = { ran: false, logStarts: [], compacted: 0, refused: 0, failures: [] };
    if (this.#lease && !(await this.#lease.acquire())) return report;
    report.ran = true;
    try {
      for (const topic of await this.#log.catalog.list()) {
        const policy = retentionPolicyOf(topic.config, this.#retention);
        for (let partition = 0; partition < topic.partitions; partition++) {
          const where = `${topic.name}-${partition}`;
          if (policy) {
            try {
              const moved = await applyRetention(this.#log.heads, topic, partition, policy, Date.now());
              if (moved.after !== moved.before)
                report.logStarts.push({ topic: topic.name, partition, ...moved });
            } catch (error) {
              report.failures.push({ step: 'retention', where, error });
            }
          }
          try {
            const outcome = await this.#compactor.compactPartition(topic, partition);
            report.compacted += outcome.compacted;
            report.refused += outcome.refused;
          } catch (error) {
            report.failures.push({ step: 'compaction', where, error });
          }
        }
      }
    } catch (error) {
      report.failures.push({ step: 'topics', error });
    }
    try {
      report.swept = await this.#sweeper.sweep();
    } catch (error) {
      report.failures.push({ step: 'sweep', error });
    }
    return report;
  }
}
