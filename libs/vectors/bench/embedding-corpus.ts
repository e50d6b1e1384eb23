// The texts the embedding benchmark embeds, the same in the bench process and in its functions.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Real English prose present on every Debian system: the licence texts of /usr/share/common-licenses. */
const CORPUS_DIR = '/usr/share/common-licenses';

/** The length of a chunk, as ingest's default chunking makes them (about 1,000 characters). */
export const CHUNK_CHARS = 1_000;

let chunks: string[] | undefined;

/** Chunk `index` of the corpus cut into CHUNK_CHARS-character pieces at white space (the corpus repeats). */
export function corpusChunk(index: number): string {
  chunks ??= readdirSync(CORPUS_DIR)
    .sort()
    .flatMap((name) => {
      const text = readFileSync(join(CORPUS_DIR, name), 'utf8');
      const pieces: string[] = [];
      for (let start = 0; start < text.length; ) {
        const cut = text.indexOf(' ', start + CHUNK_CHARS);
        const end = cut < 0 ? text.length : cut;
        pieces.push(text.slice(start, end));
        start = end + 1;
      }
      return pieces;
    });
  return chunks[index % chunks.length]!;
}
