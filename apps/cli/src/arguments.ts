import { InvalidArgumentError } from 'commander';

/** Commander argument parser for a positive integer. */
export function parsePositiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new InvalidArgumentError('expected a positive integer');
  return value;
}

/** Commander argument parser for a non-negative integer. */
export function parseNonNegativeInt(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new InvalidArgumentError('expected a non-negative integer');
  return value;
}
