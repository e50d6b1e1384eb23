import { interleave, median, type Operation, quantile, type Samples, type Schedule } from './measure.js';

const MiB = 1024 * 1024;

/** A target for a ratio: `'min'` — the ratio should be at least `value`; `'max'` — at most. */
export interface Goal {
  bound: 'min' | 'max';
  value: number;
}

/** One side of a comparison: which operation, and its measured value. */
export interface Side {
  name: string;
  value: number;
}

/** A subject (`@isthmus/storage`) measured against a baseline of the same run. */
export interface Comparison {
  /** Stable identifier, e.g. `s3.put.large.throughput`. */
  id: string;
  /** What is compared, e.g. `S3 put 64 MiB`. */
  title: string;
  metric: 'throughput' | 'p50 latency' | 'p99 latency';
  unit: 'MiB/s' | 'ms';
  baseline: Side;
  subject: Side;
  /**
   * Subject over baseline: throughput ratios are the median of per-round paired ratios (higher is
   * better); latency ratios are subject quantile over baseline quantile (lower is better).
   */
  ratio: number;
  /** `null`: informational, no target. */
  goal: Goal | null;
  verdict: 'PASS' | 'BELOW' | 'INFO';
}

/** A set of operations timed together (interleaved) and the comparisons drawn from them. */
export interface Group {
  id: string;
  title: string;
  samples: Samples;
  comparisons: Comparison[];
}

/** Times `operations` as one group (see `interleave`); its comparisons are added afterwards. */
export async function measureGroup(
  id: string,
  title: string,
  operations: Record<string, Operation>,
  schedule: Schedule,
  log: (message: string) => void,
): Promise<Group> {
  return { id, title, samples: await interleave(title, operations, schedule, log), comparisons: [] };
}

/** Which two operations of a group to compare, and the target of their ratio. */
export interface Pair {
  baseline: string;
  subject: string;
  /** Distinguishes several comparisons of one group: ids become `<group>.<tag>.<metric>`. */
  tag?: string;
  /** Replaces the group's title in the table. */
  title?: string;
}

/**
 * Throughput of moving `bytes` per call: each side's median MiB/s, and as the ratio the median over
 * rounds of (baseline time / subject time) — pairing each round's runs cancels drift between rounds.
 * `goal`: the least acceptable ratio; none makes the comparison informational.
 */
export function compareThroughput(group: Group, bytes: number, pair: Pair, goal?: number): Comparison {
  const baseline = sideOf(group, pair.baseline);
  const subject = sideOf(group, pair.subject);
  const paired = baseline.map((round, i) => median(round) / median(subject[i]!));
  const mibPerSecond = (rounds: number[][]) => median(rounds.flat().map((ms) => bytes / MiB / (ms / 1000)));
  return withVerdict({
    ...naming(group, pair, 'throughput'),
    metric: 'throughput',
    unit: 'MiB/s',
    baseline: { name: pair.baseline, value: mibPerSecond(baseline) },
    subject: { name: pair.subject, value: mibPerSecond(subject) },
    ratio: median(paired),
    goal: goal === undefined ? null : { bound: 'min', value: goal },
  });
}

/**
 * p50 and p99 latency of every call of each side, pooled over rounds; ratios subject / baseline.
 * `goals`: the largest acceptable ratios; none makes the comparisons informational.
 */
export function compareLatency(group: Group, pair: Pair, goals?: { p50: number; p99: number }): Comparison[] {
  const baseline = sideOf(group, pair.baseline).flat();
  const subject = sideOf(group, pair.subject).flat();
  return (['p50', 'p99'] as const).map((p) => {
    const q = p === 'p50' ? 0.5 : 0.99;
    const base = quantile(baseline, q);
    const subj = quantile(subject, q);
    return withVerdict({
      ...naming(group, pair, p),
      metric: `${p} latency`,
      unit: 'ms',
      baseline: { name: pair.baseline, value: base },
      subject: { name: pair.subject, value: subj },
      ratio: subj / base,
      goal: goals ? { bound: 'max', value: goals[p] } : null,
    });
  });
}

function naming(group: Group, pair: Pair, metric: string): { id: string; title: string } {
  return {
    id: [group.id, pair.tag, metric].filter(Boolean).join('.'),
    title: pair.title ?? group.title,
  };
}

function sideOf(group: Group, name: string): number[][] {
  const rounds = group.samples[name];
  if (!rounds) throw new Error(`${group.id} has no samples of "${name}"`);
  return rounds;
}

function withVerdict(comparison: Omit<Comparison, 'verdict'>): Comparison {
  const { goal, ratio } = comparison;
  const met = goal && (goal.bound === 'min' ? ratio >= goal.value : ratio <= goal.value);
  return { ...comparison, verdict: goal === null ? 'INFO' : met ? 'PASS' : 'BELOW' };
}
