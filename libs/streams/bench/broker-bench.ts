// Broker benchmark: produce and consume through an Isthmus broker with stock clients (kafkajs 2.2.4
// and Debian's kcat / librdkafka), against the floor a user compares with — raw object PUTs of the
// same batches and raw GETs of the segments — on file:// and on the local S3 server (Ceph RGW), in
// one run. Also the broker's object requests per second and per MiB, priced at S3 Standard rates.
//   node --conditions=@isthmus/source --import tsx libs/streams/bench/broker-bench.ts [--quick]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUniqueBucket, startRgw } from '@isthmus/services';
import { mapConcurrent, openStore, type S3ConnectionOptions } from '@isthmus/storage';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { Broker } from '../src/broker/broker.js';
import { countingStore, type RequestCounts } from './counting-store.js';

const quick = process.argv.includes('--quick');
const SETTINGS = quick
  ? { sends: 24, messagesPerSend: 128, latencySamples: 12, kcatMessages: 4_000 }
  : { sends: 256, messagesPerSend: 256, latencySamples: 60, kcatMessages: 40_000 };
const MESSAGE_BYTES = 1024;
const PARTITIONS = 4;
const CONCURRENCY = 64;
const WINDOW_MS = 250;
const GOALS = { produce: 0.7, latency: 1.2, consume: 0.8 };
/** S3 Standard request prices (us-east-1), USD per 1,000 requests. */
const PRICE = { put: 0.005, get: 0.0004 };
const SECONDS_PER_MONTH = 30 * 24 * 3600;

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const mib = (bytes: number) => bytes / 2 ** 20;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

interface Place {
  name: string;
  url: string;
  s3?: S3ConnectionOptions;
  dispose(): Promise<void>;
}

async function places(): Promise<Place[]> {
  const dir = await mkdtemp(join(tmpdir(), 'isthmus-streams-bench-'));
  const endpoint = await startRgw();
  const bucket = await createUniqueBucket(endpoint, 'streams-bench');
  return [
    { name: 'file://', url: `file://${dir}`, dispose: () => rm(dir, { recursive: true, force: true }) },
    { name: 's3:// (RGW)', url: `s3://${bucket}/streams`, s3: endpoint, dispose: async () => {} },
  ];
}

/** `count` messages of MESSAGE_BYTES random printable bytes (kcat reads them as lines). */
function messages(count: number): Buffer[] {
  return Array.from({ length: count }, () =>
    Buffer.from(randomBytes(MESSAGE_BYTES * 0.75).toString('base64')),
  );
}

/** Runs `kcat` with `args`, stdout discarded; resolves with the wall time in ms. */
function timedKcat(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('kcat', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`kcat ${args.join(' ')}: ${stderr}`)),
    );
  });
}

interface PlaceResult {
  place: string;
  produce: { broker: number; kcat: number; raw: number };
  latency: { p50: number; p99: number; rawPutP99: number };
  consume: { broker: number; raw: number };
  requests: RequestCounts & { seconds: number; mib: number };
}

async function benchPlace(place: Place): Promise<PlaceResult> {
  const raw = openStore(place.url, { s3: place.s3 });
  const counted = countingStore(openStore(place.url, { s3: place.s3 }));
  const broker = await Broker.start({ store: counted.store, flushWindowMs: WINDOW_MS, report: () => {} });
  const bootstrap = `${broker.address.host}:${broker.address.port}`;
  const kafka = new Kafka({ clientId: 'bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  try {
    await admin.connect();
    await producer.connect();
    await admin.createTopics({
      topics: ['produce', 'latency', 'kcat'].map((topic) => ({ topic, numPartitions: PARTITIONS })),
    });
    const batches = Array.from({ length: SETTINGS.sends }, () => messages(SETTINGS.messagesPerSend));
    const payload = batches.reduce((sum, batch) => sum + batch.reduce((s, m) => s + m.length, 0), 0);

    // produce: kafkajs sends of `messagesPerSend` records, CONCURRENCY in flight, acks=all
    progress(`${place.name}: kafkajs produce of ${mib(payload).toFixed(1)} MiB`);
    counted.reset();
    let started = performance.now();
    await mapConcurrent(batches, CONCURRENCY, (batch, index) =>
      producer.send({
        topic: 'produce',
        acks: -1,
        compression: CompressionTypes.None,
        messages: batch.map((value) => ({ value, partition: index % PARTITIONS })),
      }),
    );
    const brokerSeconds = (performance.now() - started) / 1000;
    const requests = { ...counted.counts(), seconds: brokerSeconds, mib: mib(payload) };

    // the floor: the same batches PUT as objects, CONCURRENCY in flight (each batch's bytes joined
    // beforehand: the floor is the store's, not the bench's copying)
    const bodies = batches.map((batch) => Buffer.concat(batch));
    started = performance.now();
    await mapConcurrent(bodies, CONCURRENCY, (body, index) => raw.put(`raw-puts/${index}`, body));
    const rawSeconds = (performance.now() - started) / 1000;

    // kcat producer: librdkafka's own batching, one line per message
    const lines = join(tmpdir(), `isthmus-streams-bench-${process.pid}.txt`);
    const kcatMessages = messages(SETTINGS.kcatMessages);
    await writeFile(lines, `${kcatMessages.join('\n')}\n`);
    const kcatBytes = kcatMessages.reduce((sum, m) => sum + m.length, 0);
    progress(`${place.name}: kcat produce of ${mib(kcatBytes).toFixed(1)} MiB`);
    const kcatMs = await timedKcat(['-P', '-b', bootstrap, '-t', 'kcat', '-l', lines, '-X', 'acks=all']);
    await rm(lines, { force: true });

    // latency: one small message at a time, acks=all; against the window plus a raw PUT's p99
    progress(`${place.name}: produce latency, ${SETTINGS.latencySamples} sequential sends`);
    const latencies: number[] = [];
    const rawPuts: number[] = [];
    for (let i = 0; i < SETTINGS.latencySamples; i++) {
      let at = performance.now();
      await producer.send({ topic: 'latency', acks: -1, messages: [{ value: `sample ${i}` }] });
      latencies.push(performance.now() - at);
      at = performance.now();
      await raw.put(`raw-latency/${i}`, randomBytes(MESSAGE_BYTES));
      rawPuts.push(performance.now() - at);
    }

    // consume: everything of the produce topic through the broker (kcat, from the beginning to the
    // end), against raw GETs of every segment object the broker wrote
    progress(`${place.name}: consume`);
    const consumeMs = await timedKcat([
      '-C',
      '-b',
      bootstrap,
      '-t',
      'produce',
      '-o',
      'beginning',
      '-e',
      '-q',
    ]);
    const segments: string[] = [];
    for await (const entry of raw.list({ prefix: 'segments/' }))
      if (entry.kind === 'object') segments.push(entry.key);
    // Each object is read through and dropped, as kcat drops what it consumes: a whole-object get()
    // into a fresh multi-MiB buffer each would measure this machine's page faults on fresh memory
    // (file:// at ~30 MiB/s on a VM where `cat` reads the same files at GB/s), not the store.
    started = performance.now();
    let segmentBytes = 0;
    await mapConcurrent(segments, CONCURRENCY, async (key) => {
      for await (const chunk of await raw.getStream(key)) segmentBytes += (chunk as Uint8Array).length;
    });
    const rawGetSeconds = (performance.now() - started) / 1000;

    return {
      place: place.name,
      produce: {
        broker: mib(payload) / brokerSeconds,
        kcat: mib(kcatBytes) / (kcatMs / 1000),
        raw: mib(payload) / rawSeconds,
      },
      latency: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        rawPutP99: percentile(rawPuts, 99),
      },
      consume: { broker: mib(payload) / (consumeMs / 1000), raw: mib(segmentBytes) / rawGetSeconds },
      requests,
    };
  } finally {
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
    await broker.stop();
    await raw.close();
  }
}

function report(results: PlaceResult[]): void {
  const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  const ratio = (value: number, goal: number, atMost = false) =>
    `${value.toFixed(2)}× ${(atMost ? value <= goal : value >= goal) ? '' : `(goal ${atMost ? '≤' : '≥'} ${goal})`}`.trim();
  console.log(
    `\nBroker bench (${quick ? 'quick' : 'full'}), window ${WINDOW_MS} ms, load ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log(row(['store', 'measure', 'broker', 'baseline', 'ratio']));
  console.log(row(['---', '---', '---', '---', '---']));
  for (const r of results) {
    const { produce, latency, consume } = r;
    console.log(
      row([
        r.place,
        'produce MiB/s, kafkajs vs raw PUTs',
        produce.broker.toFixed(1),
        produce.raw.toFixed(1),
        ratio(produce.broker / produce.raw, GOALS.produce),
      ]),
    );
    console.log(
      row([
        r.place,
        'produce MiB/s, kcat vs raw PUTs',
        produce.kcat.toFixed(1),
        produce.raw.toFixed(1),
        ratio(produce.kcat / produce.raw, GOALS.produce),
      ]),
    );
    const floor = WINDOW_MS + latency.rawPutP99;
    console.log(
      row([
        r.place,
        'produce p99 ms vs window + raw PUT p99',
        `${latency.p99.toFixed(0)} (p50 ${latency.p50.toFixed(0)})`,
        floor.toFixed(0),
        ratio(latency.p99 / floor, GOALS.latency, true),
      ]),
    );
    console.log(
      row([
        r.place,
        'consume MiB/s, kcat vs raw segment GETs',
        consume.broker.toFixed(1),
        consume.raw.toFixed(1),
        ratio(consume.broker / consume.raw, GOALS.consume),
      ]),
    );
  }
  console.log('\nObject requests while kafkajs produced (S3 Standard prices):');
  console.log(row(['store', 'PUT/s', 'PUT per MiB', 'GET/s', 'USD/month at this PUT+GET rate']));
  console.log(row(['---', '---', '---', '---', '---']));
  for (const { place, requests: q } of results) {
    const monthly = ((q.puts * PRICE.put + q.gets * PRICE.get) / 1000 / q.seconds) * SECONDS_PER_MONTH;
    console.log(
      row([
        place,
        (q.puts / q.seconds).toFixed(1),
        (q.puts / q.mib).toFixed(2),
        (q.gets / q.seconds).toFixed(1),
        monthly.toFixed(0),
      ]),
    );
  }
}

const results: PlaceResult[] = [];
for (const place of await places()) {
  try {
    results.push(await benchPlace(place));
  } finally {
    await place.dispose();
  }
}
report(results);
