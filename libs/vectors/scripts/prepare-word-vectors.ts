// Converts the default embedder's word vectors into their binary cache once per machine (a no-op
// when a valid cache exists): run by the quick start's setup so that tests, the demo and functions
// on every backend find it ready instead of racing to convert a 294 MB JSON file.
import { prepareWordVectors } from '../src/embedders/word-vectors/word-vector-cache.js';

const prepared = await prepareWordVectors();
if (prepared.converted) {
  console.error(
    `[setup] word vectors converted into ${prepared.path} (${prepared.bytes} bytes, ${Math.round(prepared.ms)} ms)`,
  );
}
