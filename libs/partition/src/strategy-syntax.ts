// Building blocks of strategy definitions: parameter checks and the pieces of the short text form.
import { InvalidStrategyError } from './errors.js';

/** Throws `InvalidStrategyError` unless `value` is a positive safe integer. */
export function requirePositiveInteger(value: unknown, what: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new InvalidStrategyError(`${what} must be a positive integer, got ${JSON.stringify(value)}`);
  }
}

/** Throws `InvalidStrategyError` unless every `[first, end)` satisfies `0 <= first < end`, and there is one. */
export function requireRanges(ranges: ReadonlyArray<readonly [number, number]> | undefined): void {
  for (const [first, end] of ranges ?? []) {
    if (!(Number.isSafeInteger(first) && Number.isSafeInteger(end) && first >= 0 && first < end)) {
      throw new InvalidStrategyError(`range [${first}, ${end}) must satisfy 0 <= first < end`);
    }
  }
  if (ranges?.length === 0) throw new InvalidStrategyError('ranges is empty');
}

/** The value of `name=value`, which this strategy needs. */
export function requireValue(name: string, value: string | undefined): string {
  if (!value) throw new InvalidStrategyError(`${name} needs a value: ${name}=…`);
  return value;
}

/** An integer written in a strategy. */
export function parseInteger(text: string, what: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value)) {
    throw new InvalidStrategyError(`${what}: "${text}" is not an integer`);
  }
  return value;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  mb: 1e6,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  gb: 1e9,
};

/** A size such as `64MiB`, `1.5k` or `1000`, in bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? 'x'];
  if (!match || unit === undefined) throw new InvalidStrategyError(`"${text}" is not a size like 64MiB`);
  return Math.round(Number(match[1]) * unit);
}

/** Numbers separated by `separator` (`4x2`, `0,0,10,5`). */
export function parseNumbers(text: string, separator: string, what: string): number[] {
  return text.split(separator).map((part) => {
    const value = Number(part);
    if (part.trim() === '' || !Number.isFinite(value)) throw new InvalidStrategyError(`${what}: "${text}"`);
    return value;
  });
}

/** Ranges `first-end,first-end` (end exclusive). */
export function parseRanges(text: string, what: string): Array<[number, number]> {
  return text.split(',').map((part) => {
    const [first, end] = part.split('-');
    if (end === undefined) throw new InvalidStrategyError(`${what}: "${part}" is not first-end`);
    return [parseInteger(first!, what), parseInteger(end, what)];
  });
}

/** Splits `value@suffix` at the last `@`. */
export function splitAt(text: string): [string, string | undefined] {
  const index = text.lastIndexOf('@');
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}
