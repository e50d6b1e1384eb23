import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Comparison, Goal, Group } from './compare.js';

/** Writes a progress line to stderr (stdout carries only the results). */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** A byte count as `64 MiB` or `4 KiB`. */
export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;
}

/** Every comparison as one aligned table: both sides' values, the ratio, its goal and the verdict. */
export function formatTable(comparisons: readonly Comparison[]): string {
  const header = ['case', 'metric', 'baseline', '', 'subject (isthmus)', '', 'ratio', 'goal', ''];
  const rows = comparisons.map((c) => [
    c.title,
    c.metric,
    c.baseline.name,
    formatValue(c.baseline.value, c.unit),
    c.subject.name,
    formatValue(c.subject.value, c.unit),
    formatRatio(c.ratio),
    formatGoal(c.goal),
    c.verdict,
  ]);
  const numeric = new Set([3, 5, 6]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** One line per ratio: `title, metric: subject / baseline = 1.02× (goal ≥ 0.95×) PASS`. */
export function formatRatioLines(comparisons: readonly Comparison[]): string[] {
  return comparisons.map(
    (c) =>
      `${c.title}, ${c.metric}: ${c.subject.name} / ${c.baseline.name} = ${formatRatio(c.ratio)} ` +
      `(goal ${formatGoal(c.goal)}) ${c.verdict}`,
  );
}

/** Writes the full report — settings, every sample in ms and every comparison — as JSON. */
export async function writeJsonReport(path: string, report: Record<string, unknown> & { groups: Group[] }) {
  const rounded = {
    ...report,
    groups: report.groups.map((group) => ({
      ...group,
      samples: Object.fromEntries(
        Object.entries(group.samples).map(([name, rounds]) => [
          name,
          rounds.map((round) => round.map((ms) => Math.round(ms * 1000) / 1000)),
        ]),
      ),
    })),
  };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(rounded, null, 2)}\n`);
}

function formatValue(value: number, unit: Comparison['unit']): string {
  return unit === 'ms' ? `${value.toFixed(value < 10 ? 3 : 1)} ms` : `${value.toFixed(1)} MiB/s`;
}

function formatRatio(ratio: number): string {
  return `${ratio.toFixed(3)}×`;
}

function formatGoal(goal: Goal | null): string {
  return goal === null ? 'none' : `${goal.bound === 'min' ? '≥' : '≤'} ${goal.value}×`;
}
