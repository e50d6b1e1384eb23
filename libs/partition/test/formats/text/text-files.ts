// Generated text files for the text format tests: CSV with quoted commas, quotes and newlines,
// CRLF, no trailing newline, JSONL, plain lines, multi-member gzip; and the oracle programs in
// Debian's Python (run with `pythonJson` of @isthmus/fixtures).
import { gzipSync } from 'node:zlib';

/** A deterministic pseudo-random generator (an LCG), so test files are the same on every run. */
export function randomInts(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % below;
  };
}

function quoted(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/** A CSV of `rows` rows with CRLF line ends and no final line end; some fields hold commas, quotes, newlines. */
export function csvText(rows: number, seed: number, delimiter = ','): string {
  const next = randomInts(seed);
  const lines = [['id', 'name', 'note', 'value'].join(delimiter)];
  for (let i = 0; i < rows; i++) {
    const name = next(5) === 0 ? quoted(`Smith${delimiter} John ${next(1000)}`) : `name${next(100000)}`;
    const note =
      next(4) === 0
        ? quoted(`first line\nsecond "quoted" line ${next(1000)}\r\nthird${delimiter} last`)
        : next(3) === 0
          ? ''
          : `note ${'x'.repeat(next(40))}`;
    lines.push([String(i), name, note, String(next(1_000_000) / 100)].join(delimiter));
  }
  return lines.join('\r\n');
}

/** JSON Lines of objects, arrays, strings and numbers (`\n` line ends, a final one). */
export function jsonlText(values: number, seed: number): string {
  const next = randomInts(seed);
  const lines: string[] = [];
  for (let i = 0; i < values; i++) {
    const kind = next(4);
    const value =
      kind === 0
        ? {
            id: i,
            tags: ['a', 'b'].slice(0, next(3)),
            text: `line\nbreak ${next(1000)}`,
            nested: { x: next(100) },
          }
        : kind === 1
          ? [i, next(1000), null, true]
          : kind === 2
            ? `string ${i} "quoted" ✓`
            : i * 1.5;
    lines.push(JSON.stringify(value));
  }
  return `${lines.join('\n')}\n`;
}

/** Lines of text, mixing `\n` and `\r\n`, with empty lines and UTF-8, without a final line end. */
export function linesText(lines: number, seed: number): string {
  const next = randomInts(seed);
  const parts: string[] = [];
  for (let i = 0; i < lines; i++) {
    const line = next(10) === 0 ? '' : `${i} ${'word '.repeat(next(12))}ünïcödé ${next(1_000_000)}`;
    parts.push(line, next(3) === 0 ? '\r\n' : '\n');
  }
  return parts.slice(0, -1).join('');
}

/** Text as gzip in `members` concatenated members (as `cat a.gz b.gz` or BGZF make). */
export function multiMemberGzip(text: string, members: number): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const size = Math.ceil(bytes.length / members);
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) parts.push(gzipSync(bytes.subarray(at, at + size)));
  return Buffer.concat(parts);
}

/** Python's csv module: rows of a (possibly gzip) CSV/TSV as objects keyed by the header. */
export const PYTHON_CSV_ROWS = `
import csv, gzip, json, sys
path = sys.argv[1]
opener = gzip.open if path.endswith('.gz') else open
with opener(path, 'rt', newline='', encoding='utf-8') as f:
    print(json.dumps(list(csv.DictReader(f, delimiter='\\t' if '.tsv' in path else ','))))
`;

/** Python's json module: the values of a (possibly gzip) JSON Lines file. */
export const PYTHON_JSONL_VALUES = `
import gzip, json, sys
path = sys.argv[1]
opener = gzip.open if path.endswith('.gz') else open
with opener(path, 'rt', encoding='utf-8') as f:
    print(json.dumps([json.loads(line) for line in f]))
`;
