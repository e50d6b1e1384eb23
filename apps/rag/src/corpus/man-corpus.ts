import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The script that renders manual pages into the corpus (`scripts/render-man-corpus.sh`). */
export const RENDER_MAN_CORPUS_SCRIPT = fileURLToPath(
  new URL('../../scripts/render-man-corpus.sh', import.meta.url),
);

/** A dozen pages of the man-page corpus: a small corpus for the tests, the demo and the screenshot. */
export const SMALL_MAN_CORPUS = [
  'ls.1',
  'cp.1',
  'du.1',
  'tar.1',
  'grep.1',
  'sed.1',
  'find.1',
  'kill.1',
  'signal.7',
  'tcp.7',
  'fork.2',
  'mmap.2',
] as const;

/**
 * Renders manual pages (`ls.1`, `signal.7`…; default: every page of `corpus/man-pages.txt`) into
 * `dir` as `<page>.txt` with `man`, installing man-db and the manual pages first when missing.
 * Pages already rendered there are kept.
 * @throws the script's error (naming the pages) when a page is not on this machine.
 */
export async function renderManPages(dir: string, pages: readonly string[] = []): Promise<void> {
  await promisify(execFile)('bash', [RENDER_MAN_CORPUS_SCRIPT, '--out', dir, ...pages]);
}
