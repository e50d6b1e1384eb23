/**
 * Answers every partition of every topic of a request at once, keeping the request's shape:
 * `[{ name, partitions: [...] }]` in, `[{ name, partitions: [answer, ...] }]` out, in order.
 */
export function answerEachPartition<Partition, Answer>(
  topics: readonly { name: string; partitions: readonly Partition[] }[],
  answer: (topic: string, partition: Partition) => Promise<Answer>,
): Promise<{ name: string; partitions: Answer[] }[]> {
  return Promise.all(
    topics.map(async ({ name, partitions }) => ({
      name,
      partitions: await Promise.all(partitions.map((partition) => answer(name, partition))),
    })),
  );
}
