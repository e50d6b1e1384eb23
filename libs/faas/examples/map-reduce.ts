import { buildBundle, createBackend, executor } from '@isthmus/faas';
import { openStore } from '@isthmus/storage';
import type * as Functions from './functions.js';

const [name = 'local', storeUrl] = process.argv.slice(2); // local | http | lambda | slurm (needs a store)
const backend = createBackend(name);
const storage = storeUrl ? openStore(storeUrl) : undefined; // e.g. file:///shared/isthmus, s3://bucket/x
const bundle = await buildBundle({
  entry: new URL('./functions.ts', import.meta.url).pathname,
  outDir: '/tmp/isthmus-wc',
});
const ex = await executor<typeof Functions>({ backend, bundle, storage });
const texts = ['the quick brown fox', 'jumps over', 'the lazy dog'];
const words = await ex.mapReduce('wordCount', texts, 'total');
console.log(`${words} words in ${texts.length} texts, counted on ${backend.name}`);
await ex.close();
