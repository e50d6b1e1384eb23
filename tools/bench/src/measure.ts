/** One unit of work to time, e.g. one put of one object. */
export type Operation = () => Promise<unknown>;

/** How often each operation of a group runs. */
export interface Schedule {
  /** Interleaved rounds; each round runs every operation `perRound` times. */
  rounds: number;
  /** Timed calls of each operation per round. */
  perRound: number;
  /** Untimed calls of each operation before the first round (sockets, JIT, caches). */
  warmup: number;
}

/** Durations in ms of each named operation, indexed `[round][call]`. */
export type Samples = Record<string, number[][]>;

/** What the benchmark moves and how often: the same for every backend. */
export interface Workload {
  /** The payload of the throughput cases (64 MiB, 16 MiB with `--quick`). */
  large: Buffer;
  /** The payload of the latency cases (4 KiB). */
  small: Buffer;
  largeSchedule: Schedule;
  smallSchedule: Schedule;
  /** Receives progress lines. */
  log: (message: string) => void;
}

/**
 * Times several operations interleaved round by round, the order flipping every round
 * (A B C, C B A, A B C, …), so that drift on a shared, noisy machine and "who goes first" effects
 * hit every operation alike. The one timing helper of the benchmark: every case goes through it.
 */
export async function interleave(
  label: string,
  operations: Record<string, Operation>,
  schedule: Schedule,
  log: (message: string) => void,
): Promise<Samples> {
  const names = Object.keys(operations);
  const samples: Samples = Object.fromEntries(names.map((name) => [name, []]));
  for (const name of names) {
    for (let i = 0; i < schedule.warmup; i++) await operations[name]!();
  }
  for (let round = 0; round < schedule.rounds; round++) {
    log(`${label}: round ${round + 1}/${schedule.rounds}, ${names.length} variants × ${schedule.perRound}`);
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const durations: number[] = [];
      for (let i = 0; i < schedule.perRound; i++) {
        const started = performance.now();
        await operations[name]!();
        durations.push(performance.now() - started);
      }
      samples[name]!.push(durations);
    }
  }
  return samples;
}

/** The `q` quantile (0…1) of `values`, nearest rank; the median for `q = 0.5`. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  if (q === 0.5 && sorted.length % 2 === 0) {
    return (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Fails unless a read returned `expected` bytes in all, so no case can time a short cut. */
export function expectSize(bytes: Uint8Array | readonly Uint8Array[], expected: number): void {
  const size = Array.isArray(bytes)
    ? bytes.reduce((sum: number, part: Uint8Array) => sum + part.byteLength, 0)
    : (bytes as Uint8Array).byteLength;
  if (size !== expected) throw new Error(`read ${size} bytes, expected ${expected}`);
}
