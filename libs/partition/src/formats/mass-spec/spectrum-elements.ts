import type { DatasetSource } from '../../dataset-source.js';
import { TruncatedDataError } from '../../errors.js';

/** One `<spectrum>…</spectrum>` element's bytes and where it starts. */
export interface SpectrumElement {
  start: number;
  bytes: Buffer;
}

const OPEN = Buffer.from('<spectrum', 'latin1');
const CLOSE = Buffer.from('</spectrum>', 'latin1');

function isOpenTag(buffer: Buffer, at: number): boolean {
  const next = buffer[at + OPEN.length];
  return next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d || next === 0x3e;
}

/**
 * The `take` spectrum elements after the first `skip` in `length` bytes at `offset` (which hold
 * consecutive spectra, as a partition's range does), streamed: memory is one spectrum.
 */
export async function* spectrumElements(
  source: DatasetSource,
  offset: number,
  length: number,
  skip: number,
  take: number,
): AsyncIterable<SpectrumElement> {
  if (take === 0) return;
  const key = source.key;
  let buffer = Buffer.alloc(0);
  let base = offset;
  let searchEndFrom = 0;
  let seen = 0;
  for await (const chunk of source.stream(key, offset, length)) {
    buffer = buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffer, chunk]);
    for (;;) {
      let open = buffer.indexOf(OPEN);
      while (open >= 0 && open + OPEN.length < buffer.length && !isOpenTag(buffer, open)) {
        open = buffer.indexOf(OPEN, open + 1);
      }
      if (open < 0 || open + OPEN.length >= buffer.length) break;
      const close = buffer.indexOf(CLOSE, Math.max(open, searchEndFrom));
      if (close < 0) {
        searchEndFrom = Math.max(0, buffer.length - CLOSE.length) - open;
        buffer = buffer.subarray(open);
        base += open;
        break;
      }
      const end = close + CLOSE.length;
      if (seen++ >= skip) {
        yield { start: base + open, bytes: buffer.subarray(open, end) };
        if (seen - skip === take) return;
      }
      buffer = buffer.subarray(end);
      base += end;
      searchEndFrom = 0;
    }
  }
  throw new TruncatedDataError(
    { key, offset: base },
    `expected ${take} spectra after skipping ${skip} in bytes ${offset}–${offset + length}, found ${Math.max(0, seen - skip)}`,
  );
}
