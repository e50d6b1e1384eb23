/** Where a runtime that cannot answer directly (CloudEvents, Slurm) leaves a task's outcome. */
export function outcomeKeyOf(resultKey: string): string {
  return `${resultKey}.outcome.json`;
}
