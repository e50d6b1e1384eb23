import { Kafka, logLevel } from 'kafkajs';

/** Options every `isthmus streams` subcommand shares (the group's). */
export interface StreamsFlags {
  bootstrap: string;
}

/** A kafkajs client of the brokers `--bootstrap` names (comma-separated `host:port`), quiet. */
export function kafkaClient(flags: StreamsFlags): Kafka {
  return new Kafka({
    clientId: 'isthmus-cli',
    brokers: flags.bootstrap.split(',').map((address) => address.trim()),
    logLevel: logLevel.NOTHING,
  });
}
