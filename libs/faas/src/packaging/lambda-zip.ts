import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_FILE, type Bundle } from '../bundle/bundle.js';
import { buildZip } from './zip-writer.js';

/** The Lambda handler setting for a packaged bundle: `<file without .mjs>.<export>`. */
export const LAMBDA_HANDLER = 'bundle.handler';

/**
 * Writes an AWS Lambda deployment package (a zip with `bundle.mjs` and `package.json` at the root),
 * for the `nodejs20.x` runtime (or newer) with handler `bundle.handler`.
 */
export async function writeLambdaZip(
  bundle: Bundle,
  zipPath: string,
): Promise<{ path: string; handler: string }> {
  const zip = buildZip([
    { name: BUNDLE_FILE, data: await readFile(bundle.file) },
    { name: 'package.json', data: await readFile(join(bundle.dir, 'package.json')) },
  ]);
  await writeFile(zipPath, zip);
  return { path: zipPath, handler: LAMBDA_HANDLER };
}
