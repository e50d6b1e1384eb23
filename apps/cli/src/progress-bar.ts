import type { CommandIo } from './io.js';

const MIB = 1024 * 1024;
const CLEAR_TO_END = '\u001b[K';

/** Formats a byte count for people: `512 B`, `3.4 KiB`, `12.0 MiB`, `1.25 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/**
 * A progress bar on stderr, of bytes or of tasks: redrawn in place (at most 10 times a second) on
 * a terminal, silent elsewhere unless forced; `finish` prints one summary line either way when shown.
 */
export class ProgressBar {
  readonly #io: CommandIo;
  readonly #label: string;
  readonly #total: number;
  readonly #enabled: boolean;
  readonly #unit: 'bytes' | 'tasks';
  readonly #started = Date.now();
  #done = 0;
  #lastDraw = 0;

  constructor(
    io: CommandIo,
    label: string,
    total: number,
    enabled = Boolean(io.stderr.isTTY),
    unit: 'bytes' | 'tasks' = 'bytes',
  ) {
    this.#io = io;
    this.#label = label;
    this.#total = total;
    this.#enabled = enabled;
    this.#unit = unit;
  }

  /** Adds `amount` (bytes or tasks) to what is done. */
  advance(amount: number): void {
    this.#done += amount;
    const now = Date.now();
    if (this.#enabled && this.#io.stderr.isTTY && now - this.#lastDraw >= 100) {
      this.#lastDraw = now;
      this.#io.stderr.write(`\r${this.#line()}${CLEAR_TO_END}`);
    }
  }

  /** Prints the final line. */
  finish(): void {
    if (!this.#enabled) return;
    this.#io.stderr.write(this.#io.stderr.isTTY ? `\r${this.#line()}${CLEAR_TO_END}\n` : `${this.#line()}\n`);
  }

  #line(): string {
    const seconds = Math.max(0.001, (Date.now() - this.#started) / 1000);
    const fraction = this.#total > 0 ? Math.min(1, this.#done / this.#total) : 1;
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = `${this.#label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
    if (this.#unit === 'tasks')
      return `${bar} ${this.#done}/${this.#total} tasks ${(this.#done / seconds).toFixed(1)}/s`;
    const rate = this.#done / MIB / seconds;
    return `${bar} ${formatBytes(this.#done)}/${formatBytes(this.#total)} ${rate.toFixed(1)} MiB/s`;
  }
}
