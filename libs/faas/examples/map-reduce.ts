import { buildBundle, createBackend, executor } from '@isthmus/faas';
import type * as Functions from './functions.js';

const backend = createBackend(process.argv[2] ?? 'local'); // local | http | slurm | lambda
const bundle = await buildBundle({
  entry: new URL('./functions.ts', import.meta.url).pathname,
  outDir: '/tmp/isthmus-wc',
});
const ex = await executor<typeof Functions>({ backend, bundle });
const texts = ['the quick brown fox', 'jumps over', 'the lazy dog'];
const words = await ex.mapReduce('wordCount', texts, 'total');
console.log(`${words} words in ${texts.length} texts, counted on ${backend.name}`);
await ex.close();
