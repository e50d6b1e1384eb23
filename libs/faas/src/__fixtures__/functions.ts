// Functions the faas tests run on every backend. Each one exercises one behaviour.
import type { TaskContext } from '../runtime/run-task.js';

export async function square(n: number): Promise<number> {
  return n * n;
}

export async function sum(values: number[]): Promise<number> {
  return values.reduce((total, value) => total + value, 0);
}

export async function fail(message: string): Promise<never> {
  throw new TypeError(message);
}

export async function exitWorker(code: number): Promise<never> {
  process.exit(code);
}

export async function sleep(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}

export async function exhaustMemory(): Promise<number> {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array(1_000_000).fill(Math.random()));
}

/** Fails on its first attempt for a key, succeeds afterwards: the store remembers attempts. */
export async function failOnce(key: string, context: TaskContext): Promise<string> {
  if (!context.store) throw new Error('failOnce needs a store');
  try {
    await context.store.put(key, 'attempted', { ifNoneMatch: '*' });
  } catch {
    return `ok after retry (${context.taskId})`;
  }
  throw new Error('first attempt fails');
}

export async function repeat(input: { text: string; times: number }): Promise<string> {
  return input.text.repeat(input.times);
}

export async function reverseBytes(bytes: Uint8Array): Promise<Uint8Array> {
  return Uint8Array.from(bytes).reverse();
}

/** Counts G and C bases in a byte range of an object: data read in place from the store. */
export async function gcInRange(
  input: { key: string; offset: number; length: number },
  context: TaskContext,
): Promise<{ gc: number; bases: number }> {
  const bytes = await context.store!.get(input.key, {
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

export async function returnDate(): Promise<Date> {
  return new Date(0);
}
