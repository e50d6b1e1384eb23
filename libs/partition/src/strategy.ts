import type { Json } from './json.js';

/**
 * How to cut a dataset into partitions: `by` names the strategy, the other fields are its
 * parameters (plain JSON, so a strategy travels inside every partition). Every format supports
 * the generic `count`, `bytes` and `records`; families add their own (`region`, `tiles`, …).
 */
export interface Strategy {
  by: string;
  [parameter: string]: Json | undefined;
}

/** Even-sized pieces: `count` partitions of about the same number of bytes. */
export interface CountStrategy extends Strategy {
  by: 'count';
  count: number;
}

/** Pieces of about `bytes` bytes each (never splitting a record). */
export interface BytesStrategy extends Strategy {
  by: 'bytes';
  bytes: number;
}

/** Pieces of exactly `records` records each (the last one may hold fewer). */
export interface RecordsStrategy extends Strategy {
  by: 'records';
  records: number;
}

/** The strategies every format supports. */
export type GenericStrategy = CountStrategy | BytesStrategy | RecordsStrategy;

/**
 * A strategy a format offers: its name (`by`), how to check its parameters and how to read its
 * short text form (`name=value`, as the CLI's `--by` takes it). Formats list the definitions
 * they support in `FormatHandler.strategies`.
 */
export interface StrategyDefinition<TStrategy extends Strategy = Strategy> {
  /** The strategy's `by`. */
  readonly name: TStrategy['by'];
  /** Its short text form, for help texts: e.g. `count=<n>`, `region[=chr1,chr2:1-5000]`. */
  readonly syntax: string;
  /** Checks the parameters that do not depend on the data; throws `InvalidStrategyError`. */
  validate(strategy: TStrategy): void;
  /** The strategy written `name=value` (`value` undefined for a bare `name`); `validate` checks it after. */
  parse(value: string | undefined): TStrategy;
}
