import { InvalidStrategyError } from './errors.js';
import { type Strategy, validateStrategy } from './strategy.js';

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: 1024 ** 2,
  mib: 1024 ** 2,
};
Object.assign(SIZE_UNITS, { mb: 1e6, g: 1024 ** 3, gib: 1024 ** 3, gb: 1e9 });

function integer(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new InvalidStrategyError(`${what}: "${text}" is not an integer`);
  return value;
}

function size(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? 'x'];
  if (!match || unit === undefined) throw new InvalidStrategyError(`"${text}" is not a size like 64MiB`);
  return Math.round(Number(match[1]) * unit);
}

function numbers(text: string, separator: string, what: string): number[] {
  return text.split(separator).map((part) => {
    const value = Number(part);
    if (part.trim() === '' || !Number.isFinite(value)) throw new InvalidStrategyError(`${what}: "${text}"`);
    return value;
  });
}

function ranges(text: string, what: string): Array<[number, number]> {
  return text.split(',').map((part) => {
    const [first, end] = part.split('-');
    if (end === undefined) throw new InvalidStrategyError(`${what}: "${part}" is not first-end`);
    return [integer(first!, what), integer(end, what)];
  });
}

/** Splits `value@suffix`. */
function at(text: string): [string, string | undefined] {
  const index = text.lastIndexOf('@');
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

/**
 * Parses the short form of a strategy the CLI accepts, and validates it:
 * `count=8`, `bytes=64MiB`, `records=1000`, `region` or `region=chr1,chr2:1-50000`,
 * `tiles` or `tiles=4x2` (`@level` picks an overview: `tiles=2x2@1`), `bbox=minX,minY,maxX,maxY`
 * (`bbox=…@4` for 4 partitions), `spectra=100` (per partition) or `spectra=0-10,10-48`,
 * `pixels=rows:2` or `pixels=0-4,4-9`, `chunks` or `chunks=1x2x2` (`@array` names the array).
 */
export function parseStrategy(text: string): Strategy {
  const equals = text.indexOf('=');
  const by = (equals < 0 ? text : text.slice(0, equals)).trim();
  const value = equals < 0 ? undefined : text.slice(equals + 1).trim();
  const need = (): string => {
    if (!value) throw new InvalidStrategyError(`${by} needs a value: ${by}=…`);
    return value;
  };
  let strategy: Strategy;
  switch (by) {
    case 'count':
      strategy = { by, count: integer(need(), by) };
      break;
    case 'bytes':
      strategy = { by, bytes: size(need()) };
      break;
    case 'records':
      strategy = { by, records: integer(need(), by) };
      break;
    case 'region':
      strategy = value ? { by, regions: value.split(',').map((region) => region.trim()) } : { by };
      break;
    case 'tiles': {
      const [grid, level] = at(value ?? '');
      const [columns, rows] = grid ? numbers(grid, 'x', 'tiles grid') : [];
      strategy = { by, ...(grid ? { grid: [columns!, rows ?? columns!] } : {}) };
      if (level !== undefined) strategy.level = integer(level, 'tiles level');
      break;
    }
    case 'bbox': {
      const [box, count] = at(need());
      const corners = numbers(box, ',', 'bbox');
      if (corners.length !== 4) throw new InvalidStrategyError('bbox needs minX,minY,maxX,maxY');
      strategy = { by, bbox: corners as [number, number, number, number] };
      if (count !== undefined) strategy.count = integer(count, 'bbox count');
      break;
    }
    case 'spectra':
      strategy = /^\d+$/.test(need())
        ? { by, perPartition: integer(need(), by) }
        : { by, ranges: ranges(need(), by) };
      break;
    case 'pixels':
      strategy = need().startsWith('rows:')
        ? { by, rows: integer(need().slice(5), 'pixels rows') }
        : { by, ranges: ranges(need(), by) };
      break;
    case 'chunks': {
      const [grid, array] = at(value ?? '');
      strategy = { by, ...(grid ? { chunksPerPartition: numbers(grid, 'x', 'chunks') } : {}) };
      if (array) strategy.array = array;
      break;
    }
    default:
      throw new InvalidStrategyError(
        `unknown strategy "${by}" (count, bytes, records, region, tiles, bbox, spectra, pixels, chunks)`,
      );
  }
  validateStrategy(strategy);
  return strategy;
}
