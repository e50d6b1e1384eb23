// The functions the backend conformance suite runs on every backend; each one exercises one
// behaviour. Bundle them with `buildBundle({ entry: conformanceFunctionsEntry(), outDir })`.
import type { TaskContext } from '../runtime/run-task.js';

/** `n * n`: the plain task. */
export async function square(n: number): Promise<number> {
  return n * n;
}

/** The sum of numbers: the reduce step. */
export async function sum(values: number[]): Promise<number> {
  return values.reduce((total, value) => total + value, 0);
}

/** Throws a `TypeError` with `message`: a remote error. */
export async function fail(message: string): Promise<never> {
  throw new TypeError(message);
}

/** Ends the runtime it runs in with exit `code`: a dead worker. */
export async function exitWorker(code: number): Promise<never> {
  process.exit(code);
}

/** Sleeps `ms` and returns it: a task that can outlast its timeout. */
export async function sleep(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}

/** `text` repeated `times` times: a large result from a small argument, or the reverse. */
export async function repeat(input: { text: string; times: number }): Promise<string> {
  return input.text.repeat(input.times);
}

/** The bytes in reverse order: bytes in and out. */
export async function reverseBytes(bytes: Uint8Array): Promise<Uint8Array> {
  return Uint8Array.from(bytes).reverse();
}

/** Counts G and C bases in a byte range of an object: data read in place from the store. */
export async function gcInRange(
  input: { key: string; offset: number; length: number },
  context: TaskContext,
): Promise<{ gc: number; bases: number }> {
  if (!context.store) throw new Error('gcInRange reads from the executor store, and none was given');
  const bytes = await context.store.get(input.key, {
    range: { offset: input.offset, length: input.length },
  });
  let gc = 0;
  let bases = 0;
  for (const byte of bytes) {
    if (byte === 71 || byte === 67) gc++;
    if (byte === 65 || byte === 67 || byte === 71 || byte === 84) bases++;
  }
  return { gc, bases };
}
