import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CommandIo } from '../io.js';
import { formatBytes } from '../progress-bar.js';
import type { StatsRecord } from './run.js';

/** The q-quantile of sorted numbers (nearest rank). */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** `isthmus faas stats <file>`: per-task cost model of a run — queue wait, cold/warm, run time, bytes. */
export function registerStats(group: Command, io: CommandIo): void {
  group
    .command('stats')
    .description('summarise the per-task stats written by isthmus faas run --stats')
    .argument('<file>', 'the stats JSON file')
    .option('--tasks', 'also print one line per task')
    .action(async (file: string, options: { tasks?: boolean }) => {
      const records = JSON.parse(await readFile(file, 'utf8')) as StatsRecord[];
      const measured = records.filter((record) => record.stats);
      if (options.tasks) {
        io.stdout.write(
          'index  state      attempts  cold  queue ms   run ms  total ms   bytes in  bytes out  worker\n',
        );
        for (const { index, state, stats } of records) {
          const s = stats;
          io.stdout.write(
            `${String(index).padStart(5)}  ${state.padEnd(9)}  ${String(s?.attempts ?? '-').padStart(8)}  ${s ? (s.coldStart ? 'cold' : 'warm') : '-   '}  ` +
              `${(s?.queueWaitMs ?? 0).toFixed(1).padStart(8)} ${(s?.runMs ?? 0).toFixed(1).padStart(8)} ${(s?.totalMs ?? 0).toFixed(1).padStart(9)}  ` +
              `${formatBytes(s?.bytesIn ?? 0).padStart(9)}  ${formatBytes(s?.bytesOut ?? 0).padStart(9)}  ${s?.worker ?? ''}\n`,
          );
        }
      }
      const column = (pick: (record: StatsRecord) => number) => measured.map(pick).sort((a, b) => a - b);
      const line = (label: string, values: number[]) =>
        `${label.padEnd(12)} p50 ${quantile(values, 0.5).toFixed(1).padStart(9)}  p95 ${quantile(values, 0.95).toFixed(1).padStart(9)}  max ${(values.at(-1) ?? Number.NaN).toFixed(1).padStart(9)}\n`;
      const states = new Map<string, number>();
      for (const record of records) states.set(record.state, (states.get(record.state) ?? 0) + 1);
      io.stdout.write(
        `tasks        ${records.length} (${[...states].map(([state, count]) => `${count} ${state}`).join(', ')})\n`,
      );
      io.stdout.write(
        `cold starts  ${measured.filter((record) => record.stats!.coldStart).length} of ${measured.length}\n`,
      );
      io.stdout.write(
        `backend      ${[...new Set(measured.map((record) => record.stats!.backend))].join(', ')}\n`,
      );
      io.stdout.write(
        line(
          'queue ms',
          column((record) => record.stats!.queueWaitMs),
        ),
      );
      io.stdout.write(
        line(
          'run ms',
          column((record) => record.stats!.runMs),
        ),
      );
      io.stdout.write(
        line(
          'total ms',
          column((record) => record.stats!.totalMs),
        ),
      );
      const sum = (pick: (record: StatsRecord) => number) =>
        measured.reduce((total, record) => total + pick(record), 0);
      io.stdout.write(
        `bytes        in ${formatBytes(sum((record) => record.stats!.bytesIn))}, out ${formatBytes(sum((record) => record.stats!.bytesOut))}\n`,
      );
      io.stdout.write(`retries      ${sum((record) => record.stats!.attempts - 1)}\n`);
    });
}
