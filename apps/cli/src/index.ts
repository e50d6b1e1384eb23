export type { CommandIo } from './io.js';
export { createProgram } from './program.js';
export { formatBytes, ProgressBar } from './progress-bar.js';
export { runCli } from './run-cli.js';
export { type Location, parseLocation } from './storage/location.js';
