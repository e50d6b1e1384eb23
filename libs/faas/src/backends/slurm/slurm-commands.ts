import { execFile } from 'node:child_process';
import { BackendUnavailableError } from '../../errors.js';

/** How to reach the Slurm controller: the client environment (e.g. `SLURM_CONF`). */
export interface SlurmClient {
  env: NodeJS.ProcessEnv;
}

const HOW_TO_START =
  'start Slurm (in this repository: bash tools/services/slurm.sh start) or point SLURM_CONF at a running cluster';

/**
 * Runs a Slurm client command (`sbatch`, `squeue`, `scancel`, `sinfo`) with a time limit, so that
 * an unreachable controller is an error, never a hang. A missing command or controller becomes
 * `BackendUnavailableError` saying how to start Slurm.
 */
export function slurm(
  client: SlurmClient,
  command: string,
  args: string[],
  timeoutMs = 20_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: { ...process.env, ...client.env }, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          reject(new BackendUnavailableError(`Slurm's ${command} is not installed: ${HOW_TO_START}`));
        } else if ((error as { killed?: boolean }).killed) {
          reject(
            new BackendUnavailableError(`${command} got no answer within ${timeoutMs} ms: ${HOW_TO_START}`),
          );
        } else if (
          /Unable to contact slurm controller|Connection refused|Zero Bytes were transmitted/i.test(stderr)
        ) {
          reject(
            new BackendUnavailableError(
              `the Slurm controller is not running (${stderr.trim()}): ${HOW_TO_START}`,
            ),
          );
        } else {
          reject(new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
        }
      },
    );
  });
}

/** Job states after which a job (array task) will not run again. */
export const FINISHED_STATES = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'OUT_OF_MEMORY',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
]);

/** The state of every array task of the given jobs, keyed `<jobid>_<index>` (`squeue -r -t all`). */
export async function arrayTaskStates(client: SlurmClient, jobIds: string[]): Promise<Map<string, string>> {
  if (jobIds.length === 0) return new Map();
  const out = await slurm(client, 'squeue', ['-h', '-r', '-t', 'all', '-j', jobIds.join(','), '-o', '%i %T']);
  const states = new Map<string, string>();
  for (const line of out.split('\n')) {
    const [id, state] = line.trim().split(/\s+/);
    if (id && state) states.set(id, state);
  }
  return states;
}
