import type { TaskFuture } from './task-future.js';

/** All results, in input order; rejects with the first failure (by position). */
export async function results<T>(futures: readonly TaskFuture<T>[]): Promise<T[]> {
  await Promise.allSettled(futures.map((future) => future.result()));
  return Promise.all(futures.map((future) => future.result()));
}

/** Yields futures as they settle, fastest first. */
export async function* asCompleted<T>(futures: readonly TaskFuture<T>[]): AsyncGenerator<TaskFuture<T>> {
  const pending = new Map(futures.map((future, at) => [at, settled(future, at)]));
  while (pending.size > 0) {
    const at = await Promise.race(pending.values());
    pending.delete(at);
    yield futures[at]!;
  }
}

/** When `wait` returns: once every future settled, or as soon as one did. */
export type ReturnWhen = 'ALL_COMPLETED' | 'ANY_COMPLETED';

/** Waits for futures and splits them into settled and pending ones (as Lithops' `wait`). */
export async function wait<T>(
  futures: readonly TaskFuture<T>[],
  returnWhen: ReturnWhen = 'ALL_COMPLETED',
): Promise<{ done: TaskFuture<T>[]; pending: TaskFuture<T>[] }> {
  const all = futures.map((future, at) => settled(future, at));
  await (returnWhen === 'ALL_COMPLETED' ? Promise.all(all) : Promise.race(all));
  return { done: futures.filter((future) => future.done), pending: futures.filter((future) => !future.done) };
}

function settled(future: TaskFuture<unknown>, at: number): Promise<number> {
  return future.result().then(
    () => at,
    () => at,
  );
}
