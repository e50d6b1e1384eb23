import type { PartitionHead } from '../../src/log/partition-head.js';
import type { StreamLog } from '../../src/log/stream-log.js';

/** A partition's head document as stored now. */
export async function storedHead(log: StreamLog, topic: string, partition: number): Promise<PartitionHead> {
  const { id } = await log.describeTopic(topic);
  const document = await log.json.read<PartitionHead>(log.layout.partitionHead(topic, id, partition));
  if (!document) throw new Error(`${topic}-${partition} has no head`);
  return document.value;
}

/** Every batch of a partition from `offset` on, as read (base offsets set), one read per batch. */
export async function batchesFrom(
  log: StreamLog,
  topic: string,
  partition: number,
  offset: bigint,
): Promise<Uint8Array[]> {
  const { batches } = await log.read(topic, partition, offset, 64 << 20);
  return batches;
}
