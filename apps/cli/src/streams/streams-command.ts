import { Command } from 'commander';
import type { CommandIo } from '../io.js';
import { registerConsume } from './consume-command.js';
import type { StreamsFlags } from './kafka-client.js';
import { registerProduce } from './produce-command.js';
import { registerTopics } from './topics-command.js';

/** The `isthmus streams` group: topics, produce, consume, as a Kafka client of `--bootstrap`. */
export function streamsCommand(io: CommandIo): Command {
  const group = new Command('streams')
    .description(
      'topics, produce and consume against Kafka-compatible brokers (isthmus broker, or any Kafka)',
    )
    .option('-b, --bootstrap <brokers>', 'comma-separated host:port of brokers', '127.0.0.1:9092')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  isthmus streams topics\n' +
        '  isthmus streams topics create orders --partitions 3\n' +
        "  isthmus streams produce orders 'first order' 'second order'\n" +
        '  seq 100 | isthmus streams produce orders --key-separator :\n' +
        '  isthmus streams consume orders --from-beginning --exit --json\n' +
        '  isthmus streams -b host1:9092,host2:9092 topics delete orders',
    );
  const flags = () => group.opts<StreamsFlags>();
  registerTopics(group, io, flags);
  registerProduce(group, io, flags);
  registerConsume(group, io, flags);
  return group;
}
