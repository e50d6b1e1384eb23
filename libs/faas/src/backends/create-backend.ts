import type { Backend } from './backend.js';
import { HttpBackend } from './http/http-backend.js';
import type { HttpInvocationMode, HttpRuntimeKind } from './http/http-runtimes.js';
import { LambdaBackend } from './lambda/lambda-backend.js';
import { LocalBackend } from './local/local-backend.js';
import { SlurmBackend } from './slurm/slurm-backend.js';

/** The backends selectable by name (the CLI's `--backend`). */
export const BACKEND_NAMES = ['local', 'http', 'slurm', 'lambda'] as const;

/** A backend's name. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Settings common to every backend, and the ones only some read. */
export interface BackendSettings {
  /** Tasks in flight at most (workers, runtime processes, jobs). */
  maxConcurrency?: number;
  /** Extra environment for the runtimes (AWS_* for an S3 store; SLURM_CONF for Slurm). */
  env?: NodeJS.ProcessEnv;
  /** http: which runtime, and how tasks are sent. */
  runtime?: HttpRuntimeKind;
  mode?: HttpInvocationMode;
}

/** Creates a backend by name; an unknown name lists the known ones. */
export function createBackend(name: string, settings: BackendSettings = {}): Backend {
  switch (name as BackendName) {
    case 'local':
      return new LocalBackend({ maxWorkers: settings.maxConcurrency, env: settings.env });
    case 'http':
      return new HttpBackend({
        maxConcurrency: settings.maxConcurrency,
        env: settings.env,
        runtime: settings.runtime,
        mode: settings.mode,
      });
    case 'slurm':
      return new SlurmBackend({ maxConcurrency: settings.maxConcurrency, env: settings.env });
    case 'lambda':
      return new LambdaBackend({ maxConcurrency: settings.maxConcurrency, env: settings.env });
    default:
      throw new RangeError(`unknown backend "${name}" (known: ${BACKEND_NAMES.join(', ')})`);
  }
}
