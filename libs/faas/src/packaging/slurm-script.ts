import { writeFile } from 'node:fs/promises';
import { batchScript } from '../backends/slurm/batch-script.js';
import type { Bundle } from '../bundle/bundle.js';

/**
 * Writes a batch script to run a bundle's tasks on Slurm by hand:
 * `sbatch --array=0-<n-1> isthmus-tasks.sh <store-url> <keys-file>`, where the keys file lists the
 * store keys of task envelopes, one per line (as the Slurm backend writes them). Assumes the bundle
 * and node are at the same paths on the compute nodes (a shared file system).
 */
export async function writeSlurmScript(
  bundle: Bundle,
  path: string,
  logDir = 'isthmus-logs',
): Promise<string> {
  await writeFile(path, batchScript({ node: process.execPath, bundleFile: bundle.file, logDir }), {
    mode: 0o755,
  });
  return path;
}
