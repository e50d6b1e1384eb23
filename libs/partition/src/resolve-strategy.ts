import { InvalidStrategyError, UnsupportedStrategyError } from './errors.js';
import type { AnyFormatHandler } from './format-handler.js';
import type { Strategy } from './strategy.js';

/**
 * The strategy a format is asked to plan, checked. It may be given as an object or in its short
 * text form (`count=8`, `bytes=64MiB`, `region=chr1,chr2:1-5000`, `tiles=4x2@1`, …). It must be
 * one of the format's strategies (else `UnsupportedStrategyError`) with valid parameters (else
 * `InvalidStrategyError`).
 */
export function resolveStrategy(handler: AnyFormatHandler, strategy: Strategy | string): Strategy {
  let by: string;
  let value: string | undefined;
  if (typeof strategy === 'string') {
    const equals = strategy.indexOf('=');
    by = (equals < 0 ? strategy : strategy.slice(0, equals)).trim();
    value = equals < 0 ? undefined : strategy.slice(equals + 1).trim();
  } else if (typeof strategy?.by === 'string') {
    by = strategy.by;
  } else {
    throw new InvalidStrategyError(`a strategy has a "by" name, got ${JSON.stringify(strategy)}`);
  }
  const definition = handler.strategies.find((candidate) => candidate.name === by);
  if (!definition) {
    throw new UnsupportedStrategyError(
      handler.name,
      by,
      handler.strategies.map((candidate) => candidate.syntax),
    );
  }
  const resolved = typeof strategy === 'string' ? definition.parse(value) : strategy;
  definition.validate(resolved);
  return resolved;
}
