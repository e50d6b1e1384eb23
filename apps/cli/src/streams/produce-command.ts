import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { CompressionTypes, type Message } from 'kafkajs';
import { parseNonNegativeInt } from '../arguments.js';
import type { CommandIo } from '../io.js';
import { connect, kafkaClient, type StreamsFlags } from './kafka-client.js';

/** Options of `isthmus streams produce`. */
interface ProduceOptions {
  keySeparator?: string;
  partition?: number;
  header: string[];
  gzip?: boolean;
}

/** Messages sent per request when reading standard input. */
const BATCH = 500;

/**
 * `isthmus streams produce <topic> [values...]`: sends the values given, or each line of standard
 * input, as records (idempotent producer, acks=all); `--key-separator` splits `key<sep>value`.
 */
export function registerProduce(group: Command, io: CommandIo, flags: () => StreamsFlags): void {
  group
    .command('produce')
    .description('send records: the values given, else one per line of standard input')
    .argument('<topic>', 'topic to write to')
    .argument('[values...]', 'record values (default: read lines from standard input)')
    .option('-K, --key-separator <sep>', 'each value is key<sep>value')
    .option(
      '-p, --partition <n>',
      'partition to write to (default: by key, else round robin)',
      parseNonNegativeInt,
    )
    .option('-H, --header <name=value>', 'a header on every record (repeatable)', collect, [])
    .option('--gzip', 'compress batches with gzip')
    .action(async (topic: string, values: string[], options: ProduceOptions) => {
      const headers = Object.fromEntries(options.header.map(splitHeader));
      const toMessage = (line: string): Message => {
        const at = options.keySeparator === undefined ? -1 : line.indexOf(options.keySeparator);
        const [key, value] =
          at < 0 ? [null, line] : [line.slice(0, at), line.slice(at + options.keySeparator!.length)];
        return { key, value, headers, partition: options.partition };
      };
      const producer = kafkaClient(flags()).producer({ idempotent: true, maxInFlightRequests: 1 });
      await connect(producer, flags());
      let sent = 0;
      const send = async (messages: Message[]) => {
        if (messages.length === 0) return;
        const compression = options.gzip ? CompressionTypes.GZIP : CompressionTypes.None;
        await producer.send({ topic, messages, acks: -1, compression });
        sent += messages.length;
      };
      try {
        if (values.length > 0) {
          await send(values.map(toMessage));
        } else {
          let pending: Message[] = [];
          for await (const line of createInterface({
            input: process.stdin,
            crlfDelay: Number.POSITIVE_INFINITY,
          })) {
            pending.push(toMessage(line));
            if (pending.length >= BATCH) {
              await send(pending);
              pending = [];
            }
          }
          await send(pending);
        }
      } finally {
        await producer.disconnect();
      }
      io.stderr.write(`sent ${sent} record(s) to ${topic}\n`);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function splitHeader(text: string): [string, string] {
  const at = text.indexOf('=');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
