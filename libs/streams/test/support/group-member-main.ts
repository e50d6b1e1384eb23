/**
 * A kafkajs 2.2.4 consumer-group member as its own process, so a test can kill it (-9) and let its
 * session expire: `node --import tsx group-member-main.ts <bootstrap> <group> <topic>`. It prints
 * one JSON line per record consumed (`{ partition, offset, value }`) and per assignment received.
 */
import { Kafka, logLevel } from 'kafkajs';

const [bootstrap = '', groupId = '', topic = ''] = process.argv.slice(2);
const kafka = new Kafka({
  clientId: 'member-process',
  brokers: bootstrap.split(','),
  logLevel: logLevel.NOTHING,
});
const consumer = kafka.consumer({
  groupId,
  sessionTimeout: 6_000,
  rebalanceTimeout: 3_000,
  heartbeatInterval: 300,
  maxWaitTimeInMs: 100,
});
const print = (line: object) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
consumer.on(consumer.events.GROUP_JOIN, (event) => print({ assignment: event.payload.memberAssignment }));
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ partition, message }) => {
    print({ partition, offset: message.offset, value: message.value?.toString() ?? null });
  },
});
