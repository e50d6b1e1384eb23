import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { KafkaMessage } from 'kafkajs';
import { parsePositiveInt } from '../arguments.js';
import type { CommandIo } from '../io.js';
import { connect, kafkaClient, type StreamsFlags } from './kafka-client.js';

/** Options of `isthmus streams consume`. */
interface ConsumeOptions {
  group?: string;
  fromBeginning?: boolean;
  exit?: boolean;
  max?: number;
  json?: boolean;
}

/**
 * `isthmus streams consume <topic>`: prints records as they arrive (values, or JSON lines with
 * `--json`), as a member of consumer group `--group` (default: a fresh one). `--exit` ends once the
 * high watermarks of the start are reached; `--max` after that many records; else SIGINT/SIGTERM.
 */
export function registerConsume(group: Command, io: CommandIo, flags: () => StreamsFlags): void {
  group
    .command('consume')
    .description('print records of a topic as they arrive')
    .argument('<topic>', 'topic to read')
    .option('-g, --group <id>', 'consumer group (default: a fresh group, no committed offsets)')
    .option('--from-beginning', 'start at the log start when the group has no committed offset')
    .option('-e, --exit', 'end once the end of every partition (as of the start) is reached')
    .option('-n, --max <n>', 'end after n records', parsePositiveInt)
    .option('--json', 'print one JSON object per record (partition, offset, key, value, headers, timestamp)')
    .action(async (topic: string, options: ConsumeOptions) => {
      const kafka = kafkaClient(flags());
      const admin = kafka.admin();
      await connect(admin, flags());
      const ends = new Map<number, bigint>();
      try {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic))
          ends.set(partition, BigInt(high));
      } finally {
        await admin.disconnect();
      }
      const consumer = kafka.consumer({ groupId: options.group ?? `isthmus-cli-${randomUUID()}` });
      await connect(consumer, flags());
      let printed = 0;
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const positions = new Map<number, bigint>();
      const caughtUp = () =>
        [...ends].every(([partition, end]) => end === 0n || (positions.get(partition) ?? -1n) + 1n >= end);
      try {
        await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? false });
        await consumer.run({
          eachMessage: async ({ partition, message }) => {
            io.stdout.write(
              `${options.json ? JSON.stringify(asJson(partition, message)) : (message.value?.toString() ?? '')}\n`,
            );
            printed += 1;
            positions.set(partition, BigInt(message.offset));
            if ((options.max !== undefined && printed >= options.max) || (options.exit && caughtUp()))
              finish();
          },
        });
        if (options.exit && caughtUp()) finish();
        const stop = () => finish();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await finished;
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      } finally {
        await consumer.disconnect();
      }
    });
}

function asJson(partition: number, message: KafkaMessage) {
  return {
    partition,
    offset: Number(message.offset),
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    headers: Object.fromEntries(
      Object.entries(message.headers ?? {}).map(([name, value]) => [name, value?.toString() ?? null]),
    ),
    timestamp: Number(message.timestamp),
  };
}
