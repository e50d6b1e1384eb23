/** Timing helpers for the storage benchmark: samples, medians, interleaved A/B rounds. */

/** Milliseconds `run` takes. */
export async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** The q-quantile (nearest rank) of numbers. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * Alternates baseline and subject `rounds` times (A/B/A/B…) so that drift on a shared machine
 * hits both alike, and returns each one's samples in ms.
 */
export async function abRounds(
  rounds: number,
  baseline: () => Promise<unknown>,
  subject: () => Promise<unknown>,
): Promise<{ baseline: number[]; subject: number[] }> {
  const samples = { baseline: [] as number[], subject: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    samples.baseline.push(await timed(baseline));
    samples.subject.push(await timed(subject));
  }
  return samples;
}
