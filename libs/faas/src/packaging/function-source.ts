import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BUNDLE_FILE, type Bundle } from '../bundle/bundle.js';

/**
 * Writes a function source directory that both cloud function builders take as it is: Google
 * Cloud Run functions (`gcloud functions deploy --source <dir> --entry-point http` for HTTP, or
 * `--entry-point cloudEvent` for CloudEvents) and Knative `func` (Node runtime: `index.js`
 * exporting `handle`). Dependencies are already inside `bundle.mjs`; only the runtimes are listed.
 */
export async function writeFunctionSource(
  bundle: Bundle,
  outDir: string,
  name = basename(bundle.dir),
): Promise<string> {
  await mkdir(outDir, { recursive: true });
  await copyFile(bundle.file, join(outDir, BUNDLE_FILE));
  const manifest = {
    name: name.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
    version: '1.0.0',
    private: true,
    type: 'module',
    main: 'index.js',
    scripts: {
      start: 'functions-framework --target=http',
      'start:knative': 'faas-js-runtime ./index.js',
    },
    engines: { node: '>=20' },
    dependencies: { '@google-cloud/functions-framework': '^5.0.5', 'faas-js-runtime': '^4.0.1' },
  };
  await writeFile(join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(
    join(outDir, 'index.js'),
    `// Entry points of the isthmus bundle (${bundle.hash.slice(0, 12)}): http and cloudEvent for Cloud Run\n` +
      '// functions, handle for Knative func, handler for AWS Lambda.\n' +
      `export { cloudEvent, handle, handler, http } from './${BUNDLE_FILE}';\n`,
  );
  await writeFile(join(outDir, 'func.yaml'), `specVersion: 0.36.0\nname: ${manifest.name}\nruntime: node\n`);
  return outDir;
}
