import { Broker } from '@isthmus/streams';
import { Command } from 'commander';
import { parseNonNegativeInt, parsePositiveInt } from '../arguments.js';
import type { CommandIo } from '../io.js';
import { tableUrl } from '../vectors/vector-flags.js';
import { parseDurationMs } from './duration.js';

/** Options of `isthmus broker`. */
interface BrokerFlags {
  store: string;
  port: number;
  host: string;
  advertisedHost?: string;
  window: number;
  autoCreateTopics?: boolean;
  partitions: number;
  endpoint?: string;
  region?: string;
}

/**
 * `isthmus broker --store <url>`: a Kafka-compatible broker on the store until SIGINT or SIGTERM,
 * then a clean stop (buffered produce requests flushed, the broker leaves the registry).
 */
export function brokerCommand(io: CommandIo): Command {
  return new Command('broker')
    .description(
      'serve Kafka clients from a stream store on s3:// or file:// (stateless; run several on one store)',
    )
    .requiredOption(
      '--store <url>',
      'the store holding the streams: s3://bucket/prefix, file:///path or a path',
    )
    .option('--port <port>', 'TCP port to listen on', parseNonNegativeInt, 9092)
    .option('--host <host>', 'interface to listen on (0.0.0.0 for every one)', '127.0.0.1')
    .option('--advertised-host <host>', 'host clients are told to connect to (default: --host)')
    .option('--window <duration>', 'how long produce requests are buffered per segment', parseDurationMs, 250)
    .option('--auto-create-topics', 'create unknown topics clients ask Metadata about')
    .option('--partitions <n>', 'partitions of topics created without a count', parsePositiveInt, 1)
    .option('--endpoint <url>', 'S3 endpoint (default: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, else AWS)')
    .option('--region <region>', 'S3 region (default: AWS_REGION, else us-east-1)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  isthmus broker --store file:///data/streams\n' +
        '  isthmus broker --store s3://bucket/streams --port 9093 --window 100ms\n' +
        '  kcat -b 127.0.0.1:9092 -L',
    )
    .action(async (flags: BrokerFlags) => {
      const broker = await Broker.start({
        store: tableUrl(flags.store),
        s3: { endpoint: flags.endpoint, region: flags.region },
        port: flags.port,
        host: flags.host,
        advertisedHost: flags.advertisedHost,
        flushWindowMs: flags.window,
        autoCreateTopics: flags.autoCreateTopics ?? false,
        defaultPartitions: flags.partitions,
        report: (line) => io.stderr.write(`isthmus broker: ${line}\n`),
      });
      const { host, port } = broker.address;
      io.stderr.write(
        `isthmus broker: node ${broker.nodeId} serving ${host}:${port} (store ${flags.store})\n`,
      );
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        const stop = (received: NodeJS.Signals) => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve(received);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      io.stderr.write(`isthmus broker: ${signal}, stopping\n`);
      await broker.stop();
    });
}
