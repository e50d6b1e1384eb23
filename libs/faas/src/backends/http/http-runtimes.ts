import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Bundle } from '../../bundle/bundle.js';
import { LOOPBACK_ONLY_IMPORT } from './loopback-only.js';

/** The real function runtimes the HTTP backend can start locally. */
export type HttpRuntimeKind = 'functions-framework' | 'knative';

/** How a task reaches the function: a plain JSON POST, or a CloudEvent (binary mode). */
export type HttpInvocationMode = 'http' | 'cloudevent';

const require = createRequire(import.meta.url);

/** The executable of an npm package's bin, resolved from this package's dependencies. */
function binOf(packageName: string, binName: string): string {
  // Walk up from the package's main module: some packages do not export their package.json.
  let dir = dirname(require.resolve(packageName));
  while (!existsSync(join(dir, 'package.json')) || readManifest(dir).name !== packageName) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package.json of ${packageName}`);
    dir = parent;
  }
  const { bin } = readManifest(dir);
  return join(dir, typeof bin === 'string' ? bin : bin![binName]!);
}

function readManifest(dir: string): { name?: string; bin?: Record<string, string> | string } {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

/**
 * The `node` arguments that start a runtime serving a bundle on `{port}` (loopback only):
 * - `functions-framework` (Google Cloud Run functions): the bundle's `http` export, or its
 *   `cloudEvent` export with the CloudEvent signature;
 * - `knative` (faas-js-runtime, the Node runtime of Knative `func`): the bundle's `handle` export.
 */
export function runtimeArgs(kind: HttpRuntimeKind, mode: HttpInvocationMode, bundle: Bundle): string[] {
  if (kind === 'functions-framework') {
    return [
      '--import',
      LOOPBACK_ONLY_IMPORT,
      binOf('@google-cloud/functions-framework', 'functions-framework'),
      `--target=${mode === 'http' ? 'http' : 'cloudEvent'}`,
      `--signature-type=${mode === 'http' ? 'http' : 'cloudevent'}`,
      `--source=${bundle.dir}`,
      '--port={port}',
    ];
  }
  return [
    '--import',
    LOOPBACK_ONLY_IMPORT,
    binOf('faas-js-runtime', 'faas-js-runtime'),
    '--port',
    '{port}',
    bundle.file,
  ];
}
