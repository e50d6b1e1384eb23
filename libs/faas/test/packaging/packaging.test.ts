import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEBIAN_PYTHON, runTool } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpRuntimeKind, runtimeArgs } from '../../src/backends/http/http-runtimes.js';
import { acceptsConnections, RuntimeProcess } from '../../src/backends/http/runtime-process.js';
import { buildBundle } from '../../src/bundle/build-bundle.js';
import type { Bundle } from '../../src/bundle/bundle.js';
import { writeFunctionSource } from '../../src/packaging/function-source.js';
import { LAMBDA_HANDLER, writeLambdaZip } from '../../src/packaging/lambda-zip.js';
import { SQUARE_7 } from '../fixtures/envelopes.js';

const FUNCTIONS = fileURLToPath(new URL('../fixtures/functions.ts', import.meta.url));

describe('deployable units', () => {
  let dir: string;
  let bundle: Bundle;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-package-'));
    bundle = await buildBundle({ entry: FUNCTIONS, outDir: join(dir, 'bundle') });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes a Lambda zip that a standard unzip accepts, whose handler answers', async () => {
    const { path, handler } = await writeLambdaZip(bundle, join(dir, 'function.zip'));
    expect(handler).toBe(LAMBDA_HANDLER);
    // Python's zipfile as an independent reader of the archive.
    await runTool(DEBIAN_PYTHON, ['-m', 'zipfile', '-t', path]);
    await runTool(DEBIAN_PYTHON, ['-m', 'zipfile', '-e', path, join(dir, 'unzipped')]);
    expect((await readdir(join(dir, 'unzipped'))).sort()).toEqual(['bundle.mjs', 'package.json']);
    const stdout = await runTool(process.execPath, [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(join(dir, 'unzipped', 'bundle.mjs'))}); console.log(JSON.stringify(await m.handler(${JSON.stringify(SQUARE_7)}, {})));`,
    ]);
    expect(JSON.parse(stdout.toString())).toMatchObject({ ok: true, output: { inline: '49' } });
  });

  it.each<HttpRuntimeKind>(['functions-framework', 'knative'])(
    'writes a function source directory that %s serves as it is',
    async (kind) => {
      const source = await writeFunctionSource(bundle, join(dir, `source-${kind}`));
      const asBundle: Bundle = { ...bundle, dir: source, file: join(source, 'index.js') };
      const runtime = await RuntimeProcess.start(runtimeArgs(kind, 'http', asBundle), {}, acceptsConnections);
      try {
        const response = await fetch(`http://127.0.0.1:${runtime.port}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(SQUARE_7),
        });
        expect(await response.json()).toMatchObject({ ok: true, output: { inline: '49' } });
      } finally {
        runtime.stop();
      }
    },
  );
});
