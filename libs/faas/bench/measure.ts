/** Summary of a list of durations in microseconds. */
export interface Distribution {
  n: number;
  p50: number;
  p99: number;
  mean: number;
}

/** p50, p99 and mean of durations (µs). */
export function distribution(durations: number[]): Distribution {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    n: sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

/** Times `count` sequential runs of `once`, in µs each. */
export async function timeEach(count: number, once: (i: number) => Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await once(i);
    durations.push((performance.now() - started) * 1000);
  }
  return durations;
}

/**
 * Runs baseline and subject alternately for `rounds` rounds (A/B/A/B…), so drift on a shared
 * machine hits both alike; returns every sample of each.
 */
export async function interleave(
  rounds: number,
  baseline: () => Promise<number[]>,
  subject: () => Promise<number[]>,
): Promise<{ baseline: number[]; subject: number[] }> {
  const result = { baseline: [] as number[], subject: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    result.baseline.push(...(await baseline()));
    result.subject.push(...(await subject()));
  }
  return result;
}

/** Formats a ratio line: `name: 1.23× (goal ≤ 1.5×) PASS`, or just `name: 1.23×` where no goal is set. */
export function ratioLine(name: string, ratio: number, goal?: number, lowerIsBetter = true): string {
  if (goal === undefined) return `${name}: ${ratio.toFixed(2)}×`;
  const pass = lowerIsBetter ? ratio <= goal : ratio >= goal;
  return `${name}: ${ratio.toFixed(2)}× (goal ${lowerIsBetter ? '≤' : '≥'} ${goal}×) ${pass ? 'PASS' : 'BELOW'}`;
}
