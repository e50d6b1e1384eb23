import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const RENDER_SCRIPT = fileURLToPath(new URL('../../scripts/render-man-corpus.sh', import.meta.url));

/** A dozen manual pages of the corpus: the small corpus of the app's tests, demo and screenshot. */
export const SMALL_CORPUS = [
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

/** Renders manual `pages` (`ls.1`…) with the corpus script into `dir` as `<page>.txt` files. */
export async function renderManPages(dir: string, pages: readonly string[] = SMALL_CORPUS): Promise<void> {
  await promisify(execFile)('bash', [RENDER_SCRIPT, '--out', dir, ...pages]);
}
