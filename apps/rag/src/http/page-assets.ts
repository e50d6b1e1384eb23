import { readFile } from 'node:fs/promises';

/** The page's files by request path, with their content types; read from `apps/rag/page/`. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

/** The page folder, beside `src/` and `dist/` alike. */
const PAGE_DIR = new URL('../../page/', import.meta.url);

/** The page file served at `path` (`/`, `/app.js`, `/style.css`), or undefined for other paths. */
export async function pageAsset(path: string): Promise<{ body: Buffer; type: string } | undefined> {
  const asset = ASSETS[path];
  if (!asset) return undefined;
  return { body: await readFile(new URL(asset.file, PAGE_DIR)), type: asset.type };
}
