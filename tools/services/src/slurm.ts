import type {} from 'vitest';
import { runServiceScript, serviceEnv, serviceScript } from './service-script.js';

/** The script that installs, starts and stops the local single-node Slurm (slurmctld, slurmd, munge). */
export const SLURM_SCRIPT = serviceScript('slurm.sh');

declare module 'vitest' {
  export interface ProvidedContext {
    /** The environment Slurm clients need (`SLURM_CONF`), started once per run by `slurm-global-setup.ts`. */
    slurm: Record<string, string>;
  }
}

/**
 * Starts the local Slurm if it is not running (installing its Debian packages on first use) and
 * returns the environment its clients need. Fails loudly, never skips.
 */
export async function startSlurm(): Promise<Record<string, string>> {
  await runServiceScript(SLURM_SCRIPT, 'start');
  return serviceEnv(SLURM_SCRIPT);
}

/** Stops the local Slurm (a no-op when it is not running). */
export async function stopSlurm(): Promise<void> {
  await runServiceScript(SLURM_SCRIPT, 'stop');
}
