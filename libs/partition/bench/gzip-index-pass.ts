/**
 * Times the gzip index pass against its floors: `npx tsx libs/partition/bench/gzip-index-pass.ts
 * <file.gz> [runs]`. Prints the median (and best) of `runs` (default 5) for a raw read of the object through
 * the store, native `gunzipSync` of its bytes, native streaming gunzip of the store's stream, the
 * `GzipIndexer` pass alone (on its native engine, and on the portable fallback) and the whole
 * FASTQ index pass (gzip checkpoints and record scan).
 * `GZIP_INDEXER=<module>` times another module's `GzipIndexer` instead (e.g. an older version).
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import { openStore } from '@isthmus/storage';
import * as current from '../src/codecs/gzip-checkpoints.js';
import { DatasetSource } from '../src/dataset-source.js';
import { fastqFormat } from '../src/formats/genomics/fastq-format.js';

const [file, runsArgument] = process.argv.slice(2);
if (!file) throw new Error('usage: gzip-index-pass.ts <file.gz> [runs]');
const runs = Number(runsArgument ?? 5);
const codec: typeof current = process.env.GZIP_INDEXER ? await import(process.env.GZIP_INDEXER) : current;
const store = openStore(`file://${dirname(file)}`);
const key = basename(file);
const bytes = await readFile(file);

async function median(what: string, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const ms = times[runs >> 1]!;
  console.log(
    `${what.padEnd(36)} median ${ms.toFixed(0).padStart(5)} ms (best ${times[0]!.toFixed(0).padStart(5)} ms)  ` +
      `${(bytes.length / ms / 1e3).toFixed(0)} MB/s compressed`,
  );
  return ms;
}

const raw = await median('raw read (store stream)', async () => {
  for await (const _ of new DatasetSource(store, key).stream());
});
const gunzip = await median('native gunzipSync (in memory)', async () => gunzipSync(bytes));
await median('native gunzip of the store stream', async () => {
  const inflater = createGunzip();
  const done = (async () => {
    for await (const _ of inflater);
  })();
  for await (const chunk of new DatasetSource(store, key).stream()) {
    if (!inflater.write(chunk)) await new Promise((resolve) => inflater.once('drain', resolve));
  }
  inflater.end();
  await done;
});
const indexPass = (engine: 'native' | 'portable') => async () => {
  const indexer = new codec.GzipIndexer(key, codec.gzipCheckpointSpacing(bytes.length), engine);
  for await (const _ of indexer.inflate(new DatasetSource(store, key).stream()));
};
const pass = await median('GzipIndexer pass (native engine)', indexPass('native'));
const portable = await median('GzipIndexer pass (portable engine)', indexPass('portable'));
const whole = await median('FASTQ index pass (with record scan)', () =>
  fastqFormat.index(new DatasetSource(store, key)),
);
console.log(
  `GzipIndexer: ${(raw / pass).toFixed(2)}x raw read, ${(gunzip / pass).toFixed(2)}x gunzipSync ` +
    `(portable engine ${(gunzip / portable).toFixed(2)}x gunzipSync); ` +
    `FASTQ index: ${(raw / whole).toFixed(2)}x raw read`,
);
await store.close();
