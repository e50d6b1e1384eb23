// Functions the faas benchmarks run: as cheap as a task can be, so overhead is what is measured.
export async function noop(value: number): Promise<number> {
  return value;
}
