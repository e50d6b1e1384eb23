/** Where a runtime that cannot answer directly (CloudEvents, Slurm) leaves a task's outcome. */
export function outcomeKeyOf(resultKey: string): string {
  return `${resultKey}.outcome.json`;
}

/** Where a batch backend (Slurm) leaves a task's envelope for the job to read. */
export function envelopeKeyOf(resultKey: string): string {
  return `${resultKey}.envelope.json`;
}
