import { InvalidArgumentError } from 'commander';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Commander parser of a duration: `250ms`, `1.5s`, `2m`, or a bare number of milliseconds. */
export function parseDurationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError('expected a duration such as 250ms, 1s or 2m');
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!);
}
