import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { type BrokerProcess, spawnBroker } from '../../support/broker-process.js';
import { spawnGroupMember } from '../../support/group-member-process.js';
import { type StartedBrokers, startBrokers } from '../../support/started-brokers.js';
import { type StorePlace, storePlace } from '../../support/store-places.js';

/** Member timings kept short so rebalances and session expiry take seconds. */
const MEMBER_TIMINGS = {
  sessionTimeout: 6_000,
  rebalanceTimeout: 3_000,
  heartbeatInterval: 300,
  maxWaitTimeInMs: 100,
};
const WAIT = { timeout: 30_000, interval: 100 };

/** An in-process kafkajs group member and what it consumed. */
interface Member {
  consumer: Consumer;
  values: string[];
  /** Partitions of the latest assignment it received. */
  assigned(): number;
}

const kafkaOf = (bootstrap: string) =>
  new Kafka({
    clientId: 'groups',
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100 },
  });

async function createTopic(bootstrap: string, topic: string, numPartitions: number): Promise<void> {
  const admin = kafkaOf(bootstrap).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions }] });
  await admin.disconnect();
}

async function produce(
  bootstrap: string,
  topic: string,
  partitions: number,
  values: string[],
): Promise<void> {
  const producer = kafkaOf(bootstrap).producer();
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: values.map((value, index) => ({ partition: index % partitions, value })),
  });
  await producer.disconnect();
}

async function startMember(bootstrap: string, groupId: string, topic: string): Promise<Member> {
  const consumer = kafkaOf(bootstrap).consumer({ groupId, ...MEMBER_TIMINGS });
  const values: string[] = [];
  let assigned = 0;
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    assigned = Object.values(event.payload.memberAssignment).flat().length;
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? ''),
  });
  return { consumer, values, assigned: () => assigned };
}

const batch = (label: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${label}-${index}`);

describe.each(['file', 's3'] as const)('kafkajs 2.2.4 consumer groups on %s', (kind) => {
  let place: StorePlace;
  let started: StartedBrokers;
  let bootstrap: string;

  beforeAll(async () => {
    place = await storePlace(kind, inject('s3'), 'groups-kafkajs');
    started = await startBrokers(place, 1);
    bootstrap = started.bootstrap;
  });
  afterAll(async () => {
    await started?.stop();
    await place?.dispose();
  });

  it('three members share a 6-partition topic; one leaves, one dies (-9): the survivor resumes from committed offsets and nothing is lost', async () => {
    await createTopic(bootstrap, 'shared', 6);
    const a = await startMember(bootstrap, 'sharing', 'shared');
    const b = await startMember(bootstrap, 'sharing', 'shared');
    const c = spawnGroupMember(bootstrap, 'sharing', 'shared');
    try {
      const assignedToC = () => Object.values(c.assignments.at(-1) ?? {}).flat().length;
      await vi.waitFor(() => expect([a.assigned(), b.assigned(), assignedToC()]).toEqual([2, 2, 2]), WAIT);

      const first = batch('first', 60);
      await produce(bootstrap, 'shared', 6, first);
      await vi.waitFor(
        () => expect(new Set([...a.values, ...b.values, ...c.values])).toEqual(new Set(first)),
        WAIT,
      );
      expect([a.values.length, b.values.length, c.values.length]).toEqual([20, 20, 20]);

      await b.consumer.stop();
      await b.consumer.disconnect();
      await vi.waitFor(() => expect([a.assigned(), assignedToC()]).toEqual([3, 3]), WAIT);
      const second = batch('second', 60);
      await produce(bootstrap, 'shared', 6, second);
      await vi.waitFor(
        () =>
          expect(second.filter((value) => !a.values.includes(value) && !c.values.includes(value))).toEqual(
            [],
          ),
        WAIT,
      );

      await c.kill();
      await vi.waitFor(() => expect(a.assigned()).toBe(6), WAIT);
      const third = batch('third', 60);
      await produce(bootstrap, 'shared', 6, third);
      await vi.waitFor(() => expect(third.filter((value) => !a.values.includes(value))).toEqual([]), WAIT);
      const everything = new Set([...a.values, ...b.values, ...c.values]);
      expect(everything).toEqual(new Set([...first, ...second, ...third]));
      // Records are only consumed twice where a dead member had not committed them yet.
      expect(a.values.filter((value) => value.startsWith('third'))).toHaveLength(60);
    } finally {
      await c.kill();
      await a.consumer.disconnect();
      await b.consumer.disconnect();
    }

    const admin = kafkaOf(bootstrap).admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchOffsets({ groupId: 'sharing', topics: ['shared'] });
      expect(
        offsets[0]?.partitions.map((partition) => [partition.partition, partition.offset]).sort(),
      ).toEqual([0, 1, 2, 3, 4, 5].map((partition) => [partition, '30']));
    } finally {
      await admin.disconnect();
    }
  });

  it('admin describes, lists, fetches, sets, resets and deletes a group', async () => {
    await createTopic(bootstrap, 'audited', 3);
    await produce(bootstrap, 'audited', 3, batch('audit', 30));
    const admin = kafkaOf(bootstrap).admin();
    await admin.connect();
    try {
      const member = await startMember(bootstrap, 'auditors', 'audited');
      await vi.waitFor(() => expect(member.values).toHaveLength(30), WAIT);
      const running = await admin.describeGroups(['auditors']);
      expect(running.groups[0]).toMatchObject({
        groupId: 'auditors',
        state: 'Stable',
        protocolType: 'consumer',
        protocol: 'RoundRobinAssigner',
      });
      expect(running.groups[0]?.members).toHaveLength(1);
      expect(running.groups[0]?.members[0]?.memberAssignment.length).toBeGreaterThan(0);
      expect((await admin.listGroups()).groups).toContainEqual({
        groupId: 'auditors',
        protocolType: 'consumer',
      });
      await expect(admin.deleteGroups(['auditors'])).rejects.toThrow();
      await vi.waitFor(async () => {
        const [committed] = await admin.fetchOffsets({ groupId: 'auditors', topics: ['audited'] });
        expect(committed?.partitions.map((partition) => partition.offset)).toEqual(['10', '10', '10']);
      }, WAIT);
      await member.consumer.disconnect();

      expect((await admin.describeGroups(['auditors'])).groups[0]).toMatchObject({
        state: 'Empty',
        members: [],
      });
      await admin.setOffsets({
        groupId: 'auditors',
        topic: 'audited',
        partitions: [{ partition: 1, offset: '4' }],
      });
      const [afterSet] = await admin.fetchOffsets({ groupId: 'auditors', topics: ['audited'] });
      expect(afterSet?.partitions.find((partition) => partition.partition === 1)?.offset).toBe('4');

      await admin.resetOffsets({ groupId: 'auditors', topic: 'audited', earliest: true });
      const again = await startMember(bootstrap, 'auditors', 'audited');
      await vi.waitFor(() => expect(again.values).toHaveLength(30), WAIT);
      await again.consumer.disconnect();

      expect(await admin.deleteGroups(['auditors'])).toEqual([{ groupId: 'auditors', errorCode: 0 }]);
      expect((await admin.listGroups()).groups.map((group) => group.groupId)).not.toContain('auditors');
      const [afterDelete] = await admin.fetchOffsets({ groupId: 'auditors', topics: ['audited'] });
      expect(afterDelete?.partitions.map((partition) => partition.offset)).toEqual(['-1', '-1', '-1']);
      expect((await admin.describeGroups(['auditors'])).groups[0]).toMatchObject({ state: 'Dead' });
    } finally {
      await admin.disconnect();
    }
  });
});

describe.each(['file', 's3'] as const)('a kafkajs consumer group across two brokers on %s', (kind) => {
  let place: StorePlace;
  let survivor: StartedBrokers;
  let doomed: BrokerProcess;

  beforeAll(async () => {
    place = await storePlace(kind, inject('s3'), 'groups-two');
    doomed = await spawnBroker(place, { leaseMs: 1_500, flushWindowMs: 20 });
    survivor = await startBrokers(place, 1, { leaseMs: 1_500 });
  });
  afterAll(async () => {
    await doomed?.kill();
    await survivor?.stop();
    await place?.dispose();
  });

  it('members bootstrapped on either broker share one coordinator; when it is killed (-9), the other takes the group over from the store', async () => {
    const broker = survivor.brokers[0]!;
    // A group the doomed broker coordinates: the survivor names it too.
    let groupId = '';
    for (let index = 0; groupId === ''; index += 1) {
      if ((await broker.groups.coordinatorOf(`crossing-${index}`))?.nodeId === doomed.nodeId)
        groupId = `crossing-${index}`;
    }
    const doomedAddress = `${doomed.host}:${doomed.port}`;
    await createTopic(survivor.bootstrap, 'crossed', 4);
    const a = await startMember(doomedAddress, groupId, 'crossed');
    const b = await startMember(survivor.bootstrap, groupId, 'crossed');
    try {
      await vi.waitFor(() => expect([a.assigned(), b.assigned()]).toEqual([2, 2]), WAIT);
      const before = batch('before', 40);
      await produce(survivor.bootstrap, 'crossed', 4, before);
      await vi.waitFor(() => expect(new Set([...a.values, ...b.values])).toEqual(new Set(before)), WAIT);

      await doomed.kill();
      await vi.waitFor(
        async () => expect((await broker.groups.coordinatorOf(groupId))?.nodeId).toBe(broker.nodeId),
        WAIT,
      );
      const after = batch('after', 40);
      await produce(survivor.bootstrap, 'crossed', 4, after);
      await vi.waitFor(
        () =>
          expect(after.filter((value) => !a.values.includes(value) && !b.values.includes(value))).toEqual([]),
        WAIT,
      );
      expect(new Set([...a.values, ...b.values])).toEqual(new Set([...before, ...after]));
    } finally {
      await a.consumer.disconnect();
      await b.consumer.disconnect();
    }
  });
});
