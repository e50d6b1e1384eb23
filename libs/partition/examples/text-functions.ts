// Functions over text partitions, for @isthmus/faas: rows, and the sum and extremes of one
// numeric column, of a CSV or TSV file (plain or gzip), each function reading only its rows.
import { type Partition, read } from '@isthmus/partition';
import type { CsvRow } from '@isthmus/partition/text';

/** What one partition says about a column: its rows, the rows with a number there, their sum and range. */
export interface ColumnStats {
  rows: number;
  numbers: number;
  sum: number;
  min: number | null;
  max: number | null;
}

/** Stats of the numeric column `column` in one CSV partition (empty or non-numeric fields are skipped). */
export async function columnStats({
  partition,
  column,
}: {
  partition: Partition;
  column: string;
}): Promise<ColumnStats> {
  const stats: ColumnStats = { rows: 0, numbers: 0, sum: 0, min: null, max: null };
  for await (const row of read<CsvRow>(partition)) {
    stats.rows++;
    const field = row[column]?.trim() ?? '';
    const value = Number(field);
    if (field === '' || !Number.isFinite(value)) continue;
    stats.numbers++;
    stats.sum += value;
    stats.min = stats.min === null ? value : Math.min(stats.min, value);
    stats.max = stats.max === null ? value : Math.max(stats.max, value);
  }
  return stats;
}

/** Combines the partitions' stats into the file's. */
export async function combineStats(partitionStats: ColumnStats[]): Promise<ColumnStats> {
  const total: ColumnStats = { rows: 0, numbers: 0, sum: 0, min: null, max: null };
  for (const stats of partitionStats) {
    total.rows += stats.rows;
    total.numbers += stats.numbers;
    total.sum += stats.sum;
    if (stats.min !== null) total.min = total.min === null ? stats.min : Math.min(total.min, stats.min);
    if (stats.max !== null) total.max = total.max === null ? stats.max : Math.max(total.max, stats.max);
  }
  return total;
}
