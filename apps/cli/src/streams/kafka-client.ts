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
    retry: { retries: 3 },
  });
}

/**
 * Connects a kafkajs admin, producer or consumer; when no broker answers, the error says where it
 * looked and how to start one, instead of kafkajs's bare connection error.
 */
export async function connect<Client extends { connect(): Promise<void> }>(
  client: Client,
  flags: StreamsFlags,
): Promise<Client> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `no Kafka broker answers at ${flags.bootstrap} (${reason}); start one with \`isthmus broker --store <url>\` or pass -b host:port`,
      { cause: error },
    );
  }
}
