/** What a batch script runs: a bundle's `run` command over envelope keys listed in a file. */
export interface BatchScriptOptions {
  /** The node executable on the compute nodes. */
  node: string;
  /** The bundle file, on a file system the nodes share. */
  bundleFile: string;
  /** The store the envelopes and outcomes live in (absent: the script's first argument). */
  storeUrl?: string;
  /** A file with one envelope key per line; array task i runs line i+1 (absent: the second argument). */
  keysFile?: string;
  /** The job name, as `squeue -n` and `scancel -n` select by (default `isthmus`). */
  jobName?: string;
  /** Where job output goes (`%A_%a.log` per array task). */
  logDir: string;
  /** Array size (absent: given on the sbatch command line, `--array=0-<n-1>`). */
  tasks?: number;
  /** Slurm partition (default: the cluster's default). */
  partition?: string;
  /** Wall-time limit per task, minutes. */
  timeLimitMinutes?: number;
  /** Memory per task, MiB. */
  memoryMb?: number;
}

/** A required positional argument of the script, with its usage as the error. */
function positional(index: number): string {
  return `"\${${index}:?usage: sbatch --array=0-<n-1> script.sh <store-url> <keys-file>}"`;
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * A Slurm job-array script that runs one bundle task per array index: what the Slurm backend
 * submits, and — with the store, keys file and array size left to the command line — what
 * `isthmus faas package` writes for users to `sbatch` by hand.
 */
export function batchScript(options: BatchScriptOptions): string {
  const directives = [
    `#SBATCH --job-name=${options.jobName ?? 'isthmus'}`,
    ...(options.tasks ? [`#SBATCH --array=0-${options.tasks - 1}`] : []),
    `#SBATCH --output=${options.logDir}/%A_%a.log`,
    '#SBATCH --ntasks=1',
    ...(options.partition ? [`#SBATCH --partition=${options.partition}`] : []),
    ...(options.timeLimitMinutes ? [`#SBATCH --time=${options.timeLimitMinutes}`] : []),
    ...(options.memoryMb ? [`#SBATCH --mem=${options.memoryMb}M`] : []),
  ];
  return [
    '#!/bin/bash',
    ...directives,
    '# One isthmus task per array index: the envelope key is line (index + 1) of the keys file.',
    'set -euo pipefail',
    `store_url=${options.storeUrl ? quote(options.storeUrl) : positional(1)}`,
    `keys_file=${options.keysFile ? quote(options.keysFile) : positional(2)}`,
    'key=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" "$keys_file")',
    `exec ${quote(options.node)} ${quote(options.bundleFile)} run "$store_url" "$key"`,
    '',
  ].join('\n');
}
