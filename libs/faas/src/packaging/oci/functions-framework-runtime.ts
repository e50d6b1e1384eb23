import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build, type Message, type Plugin } from 'esbuild';
import { BundleError } from '../../errors.js';

const require = createRequire(import.meta.url);
const PACKAGE = '@google-cloud/functions-framework';

/** The functions-framework package this library depends on. */
export interface FunctionsFrameworkPackage {
  dir: string;
  version: string;
  /** Its command line entry point (`build/src/main.js`). */
  main: string;
}

/** Finds the functions-framework package (walking up from its main module: it exports no package.json). */
export function functionsFrameworkPackage(): FunctionsFrameworkPackage {
  let dir = dirname(require.resolve(PACKAGE));
  for (;;) {
    const manifestPath = join(dir, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
        name?: string;
        version: string;
        bin: Record<string, string>;
      };
      if (manifest.name === PACKAGE) {
        return { dir, version: manifest.version, main: join(dir, manifest.bin['functions-framework']!) };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new BundleError(`cannot find the package.json of ${PACKAGE}`);
    dir = parent;
  }
}

// The loader hides `import()` from TypeScript (and so from esbuild) behind `new Function`; it uses it
// for `read-package-up` (to tell ESM from CommonJS for a `.js` main) and for the user's module.
const HIDDEN_IMPORT = "new Function('modulePath', 'return import(modulePath)')";
const VISIBLE_IMPORT =
  "((modulePath) => modulePath === 'read-package-up' ? import('read-package-up') : import(modulePath))";

/** Lets esbuild see the loader's `import('read-package-up')`, so the package is bundled too. */
const bundleHiddenImports: Plugin = {
  name: 'isthmus-functions-framework-imports',
  setup(builder) {
    builder.onLoad({ filter: /functions-framework[\\/]build[\\/]src[\\/]loader\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replace(HIDDEN_IMPORT, VISIBLE_IMPORT), loader: 'js' };
    });
  },
};

/**
 * Bundles Google's functions-framework command line (`main.js`, express and the rest of its
 * dependencies) into one CommonJS file for node to run, so an image needs no `node_modules`.
 * Its options are read from the command line or the environment (`PORT`, `FUNCTION_TARGET`,
 * `FUNCTION_SIGNATURE_TYPE`, `FUNCTION_SOURCE`).
 */
export async function bundleFunctionsFramework(outFile: string): Promise<FunctionsFrameworkPackage> {
  const ff = functionsFrameworkPackage();
  try {
    await build({
      entryPoints: [ff.main],
      outfile: outFile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      minify: true,
      legalComments: 'eof',
      plugins: [bundleHiddenImports],
      logLevel: 'silent',
    });
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors ?? [];
    throw new BundleError(
      `cannot bundle ${PACKAGE} ${ff.version}: ${errors.map((message) => message.text).join('; ') || String(error)}`,
      { cause: error },
    );
  }
  return ff;
}
