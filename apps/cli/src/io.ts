import type { Writable } from 'node:stream';

/** Where a command writes: data to `stdout`, messages and progress to `stderr`. */
export interface CommandIo {
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean; columns?: number };
}
