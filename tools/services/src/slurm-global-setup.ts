import type { TestProject } from 'vitest/node';
import { startSlurm } from './slurm.js';

/** Vitest global setup: starts the local Slurm once per run and provides its client environment as `slurm`. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('slurm', await startSlurm());
}
