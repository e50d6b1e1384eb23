import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Message } from 'esbuild';
import { BundleError } from '../errors.js';
import { BUNDLE_FILE, BUNDLE_MANIFEST, type Bundle } from './bundle.js';

/** What to bundle and where. */
export interface BuildBundleOptions {
  /** The module whose exported async functions become tasks (TypeScript or JavaScript). */
  entry: string;
  /** Directory to write the bundle into (created). */
  outDir: string;
  /** Packages left out of the bundle, to be installed beside it (e.g. native addons). */
  external?: string[];
}

const RUNTIME_DIR = dirname(fileURLToPath(import.meta.url));

/**
 * The export conditions esbuild resolves packages with, for this module at `moduleUrl`: the
 * workspace's `@isthmus/source` (packages' TypeScript sources) only when this library itself runs
 * from its sources; installed from npm, packages publish their built `dist/` and no `src/`.
 */
export function bundleConditions(moduleUrl: string): string[] {
  return moduleUrl.endsWith('.ts') ? ['@isthmus/source'] : [];
}

// ESM output that contains CommonJS dependencies needs `require` and `__dirname` of its own.
const ESM_REQUIRE_SHIM = [
  "import { createRequire as __isthmusCreateRequire } from 'node:module';",
  'const require = __isthmusCreateRequire(import.meta.url);',
].join('\n');

/**
 * Builds a module of functions into a bundle with esbuild: the module, its dependencies and the
 * isthmus runtime in one ESM file whose exports serve every backend (worker thread, Lambda
 * `handler`, HTTP `http`, CloudEvent `cloudEvent`, Knative `handle`, and a `run` command line for
 * batch jobs).
 */
export async function buildBundle(options: BuildBundleOptions): Promise<Bundle> {
  const entry = resolve(options.entry);
  const dir = resolve(options.outDir);
  const functions = await exportsOf(entry);
  const contents = [
    `import * as fns from ${JSON.stringify(entry)};`,
    "import { createHandlers, runMainIfEntryPoint, serveWorkerThreadIfAsked } from '../runtime/index.js';",
    'const handlers = createHandlers(fns);',
    'serveWorkerThreadIfAsked(fns, handlers);',
    'export const { runTask, handler, http, cloudEvent, handle } = handlers;',
    'await runMainIfEntryPoint(handlers, import.meta.url);',
  ].join('\n');
  await mkdir(dir, { recursive: true });
  const file = join(dir, BUNDLE_FILE);
  try {
    await build({
      stdin: { contents, resolveDir: RUNTIME_DIR, sourcefile: 'isthmus-bundle-entry.mjs', loader: 'js' },
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: bundleConditions(import.meta.url),
      mainFields: ['module', 'main'],
      external: options.external,
      banner: { js: ESM_REQUIRE_SHIM },
      sourcemap: 'linked',
      logLevel: 'silent',
    });
  } catch (error) {
    throw new BundleError(`cannot bundle ${entry}: ${describeBuildFailure(error)}`, { cause: error });
  }
  const hash = createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ type: 'module', main: BUNDLE_FILE, private: true }, null, 2)}\n`,
  );
  const bundle: Bundle = { dir, file, functions, hash };
  await writeFile(join(dir, BUNDLE_MANIFEST), `${JSON.stringify({ functions, hash }, null, 2)}\n`);
  return bundle;
}

/** Opens a bundle built earlier (by `buildBundle` or `isthmus faas build`). */
export async function loadBundle(dir: string): Promise<Bundle> {
  const root = resolve(dir);
  try {
    const manifest = JSON.parse(await readFile(join(root, BUNDLE_MANIFEST), 'utf8')) as Omit<
      Bundle,
      'dir' | 'file'
    >;
    return { dir: root, file: join(root, BUNDLE_FILE), functions: manifest.functions, hash: manifest.hash };
  } catch (error) {
    throw new BundleError(`${root} is not a bundle directory (no readable ${BUNDLE_MANIFEST})`, {
      cause: error,
    });
  }
}

/**
 * The names a module exports, read by esbuild without running it. Its own modules are followed
 * (packages are not), so names re-exported by `export * from './more.js'` count too.
 */
async function exportsOf(entry: string): Promise<string[]> {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      packages: 'external',
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      outdir: '/dev/null',
      logLevel: 'silent',
    });
    return Object.values(result.metafile.outputs)
      .flatMap((output) => output.exports)
      .filter((name) => name !== 'default');
  } catch (error) {
    throw new BundleError(`cannot read the exports of ${entry}: ${describeBuildFailure(error)}`, {
      cause: error,
    });
  }
}

function describeBuildFailure(error: unknown): string {
  const errors = (error as { errors?: Message[] }).errors;
  if (!errors?.length) return String((error as Error).message ?? error);
  return errors
    .map(
      (message) =>
        `${message.location ? `${message.location.file}:${message.location.line}: ` : ''}${message.text}`,
    )
    .join('; ');
}
