import { InvalidStrategyError } from '../../errors.js';

/**
 * A genomic region, 1-based and inclusive as samtools writes it: records whose POS lies in
 * `[start, end]` on `reference`; `reference: null` is the unplaced records (`*`).
 */
export type GenomicRegion = {
  reference: string | null;
  start: number;
  /** Inclusive end; null for the end of the reference. */
  end: number | null;
};

/** The region text of unplaced records (as in `samtools view file '*'`). */
export const UNPLACED_REGION = '*';

/**
 * Parses `name`, `name:start-end` or `name:start` (thousands separators allowed) against the known
 * reference names (which may themselves hold `:`), or `*` for unplaced records;
 * `InvalidStrategyError` for unknown names and malformed ranges.
 */
export function parseGenomicRegion(text: string, isReference: (name: string) => boolean): GenomicRegion {
  if (text === UNPLACED_REGION) return { reference: null, start: 1, end: null };
  if (isReference(text)) return { reference: text, start: 1, end: null };
  const match = /^(.+):([\d,]+)(?:-([\d,]+))?$/.exec(text);
  if (!match || !isReference(match[1]!)) {
    throw new InvalidStrategyError(`region ${JSON.stringify(text)} names no reference sequence of the data`);
  }
  const start = Number(match[2]!.replaceAll(',', ''));
  const end = match[3] === undefined ? null : Number(match[3].replaceAll(',', ''));
  if (!(start >= 1) || (end !== null && end < start)) {
    throw new InvalidStrategyError(`region ${JSON.stringify(text)} must satisfy 1 <= start <= end`);
  }
  return { reference: match[1]!, start, end };
}

/** Whether a record at `position` on `reference` (null: unplaced) lies in the region. */
export function regionHolds(region: GenomicRegion, reference: string | null, position: number): boolean {
  if (reference !== region.reference) return false;
  if (reference === null) return true;
  return position >= region.start && (region.end === null || position <= region.end);
}
