// A Kafka-compatible broker whose whole state is one store folder (or an s3:// prefix):
//   node start-broker.mjs file:///tmp/isthmus-streams 9092
// then point any Kafka client at 127.0.0.1:9092, e.g. kcat. Ctrl-C flushes and stops it.
import { Broker } from '@isthmus/streams';

const [store = 'file:///tmp/isthmus-streams', port = '9092'] = process.argv.slice(2);
const broker = await Broker.start({ store, port: Number(port), autoCreateTopics: true });
console.log(`broker ${broker.nodeId} on ${broker.address.host}:${broker.address.port}, state in ${store}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await broker.stop();
    console.log('stopped: every acknowledged record is in the store');
  });
}
