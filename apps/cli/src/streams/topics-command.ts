import { type Command, Command as CommandClass } from 'commander';
import { parsePositiveInt } from '../arguments.js';
import type { CommandIo } from '../io.js';
import { connect, kafkaClient, type StreamsFlags } from './kafka-client.js';

/** `isthmus streams topics [list|create|delete]`: the topics of the cluster, through the admin API. */
export function registerTopics(group: Command, io: CommandIo, flags: () => StreamsFlags): void {
  const topics = new CommandClass('topics').description('list, create and delete topics');
  topics
    .command('list', { isDefault: true })
    .description('list topics with their partitions and offsets')
    .option('--json', 'print one JSON object per topic')
    .action(async (options: { json?: boolean }) => {
      const admin = kafkaClient(flags()).admin();
      await connect(admin, flags());
      try {
        const names = (await admin.listTopics()).sort();
        for (const name of names) {
          const offsets = (await admin.fetchTopicOffsets(name)).sort(
            (left, right) => left.partition - right.partition,
          );
          const records = offsets.reduce((sum, entry) => sum + Number(entry.high) - Number(entry.low), 0);
          if (options.json) {
            const partitions = offsets.map(({ partition, low, high }) => ({
              partition,
              low: Number(low),
              high: Number(high),
            }));
            io.stdout.write(`${JSON.stringify({ topic: name, partitions })}\n`);
          } else {
            io.stdout.write(`${name}\t${offsets.length} partition(s)\t${records} record(s)\n`);
          }
        }
      } finally {
        await admin.disconnect();
      }
    });
  topics
    .command('create')
    .description('create a topic')
    .argument('<topic>', 'topic name')
    .option('--partitions <n>', 'number of partitions', parsePositiveInt, 1)
    .action(async (topic: string, options: { partitions: number }) => {
      const admin = kafkaClient(flags()).admin();
      await connect(admin, flags());
      try {
        const created = await admin.createTopics({ topics: [{ topic, numPartitions: options.partitions }] });
        if (!created) throw new Error(`topic ${topic} exists already`);
        io.stderr.write(`created ${topic} (${options.partitions} partition(s))\n`);
      } finally {
        await admin.disconnect();
      }
    });
  topics
    .command('delete')
    .description('delete topics')
    .argument('<topics...>', 'topic names')
    .action(async (names: string[]) => {
      const admin = kafkaClient(flags()).admin();
      await connect(admin, flags());
      try {
        await admin.deleteTopics({ topics: names });
        io.stderr.write(`deleted ${names.join(', ')}\n`);
      } finally {
        await admin.disconnect();
      }
    });
  group.addCommand(topics);
}
