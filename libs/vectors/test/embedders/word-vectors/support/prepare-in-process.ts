// One of several processes that want the same word-vector cache at the same moment (see
// word-vector-cache.test.ts): meets the others at a barrier (a file each in a directory), then
// ensures the cache and prints what it did.
//   node --conditions=@isthmus/source --import tsx prepare-in-process.ts <cachePath> <sourcePath> <barrierDir> <processes>
import { randomUUID } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureWordVectorCache } from '../../../../src/embedders/word-vectors/word-vector-cache.js';

const [cachePath, sourcePath, barrierDir, processes] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
await writeFile(join(barrierDir, randomUUID()), '');
while ((await readdir(barrierDir)).length < Number(processes)) await sleep(10);
const started = performance.now();
const { model, converted } = await ensureWordVectorCache({ cachePath, sourcePath });
console.log(JSON.stringify({ converted, words: model.vocabulary.size, ms: performance.now() - started }));
