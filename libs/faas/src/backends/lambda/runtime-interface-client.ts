import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BackendUnavailableError } from '../../errors.js';

/** Where the official AWS Lambda Runtime Interface Client for Node is installed. */
export interface RuntimeInterfaceClient {
  /** Its command line entry: `node <bin> <handler>` runs a handler from the working directory. */
  bin: string;
  /** The installed version. */
  version: string;
}

const HOW_TO_INSTALL =
  'aws-lambda-ric is an optional dependency of @isthmus/faas with a native addon built at install time: ' +
  'run libs/faas/src/backends/lambda/install-deps.sh (Debian build tools), make sure the workspace ' +
  'root approves its install scripts ("allowScripts": { "aws-lambda-ric": true }), then `npm ci` ' +
  '(or `npm rebuild aws-lambda-ric`)';

/**
 * Finds aws-lambda-ric and checks that its native addon (the HTTP client of the Runtime API) was
 * built; throws BackendUnavailableError saying how to install it otherwise.
 */
export function findRuntimeInterfaceClient(): RuntimeInterfaceClient {
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve('aws-lambda-ric/package.json');
  } catch (error) {
    throw new BackendUnavailableError(`aws-lambda-ric is not installed. ${HOW_TO_INSTALL}`, { cause: error });
  }
  const root = dirname(manifest);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  if (!existsSync(join(root, 'dist', 'rapid-client.node'))) {
    throw new BackendUnavailableError(
      `aws-lambda-ric ${version} is installed without its native addon (dist/rapid-client.node). ${HOW_TO_INSTALL}`,
    );
  }
  return { bin: join(root, 'bin', 'index.mjs'), version };
}
