import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeArgs } from '../../../src/backends/http/http-runtimes.js';
import { LOOPBACK_ONLY_IMPORT } from '../../../src/backends/http/loopback-only.js';
import {
  acceptsConnections,
  freeLoopbackPort,
  RuntimeProcess,
} from '../../../src/backends/http/runtime-process.js';
import { buildBundle } from '../../../src/bundle/build-bundle.js';
import type { Bundle } from '../../../src/bundle/bundle.js';
import { buildOciImage, OCI_LABEL_BUNDLE_HASH, type OciImage } from '../../../src/packaging/oci/oci-image.js';
import { PODMAN_RUN_WORKAROUNDS, runOciTool } from '../../../src/packaging/oci/oci-tools.js';
import type { TaskEnvelope, TaskOutcome } from '../../../src/runtime/protocol.js';
import { SQUARE_7 } from '../../fixtures/envelopes.js';

const FUNCTIONS = fileURLToPath(new URL('../../fixtures/functions.ts', import.meta.url));
const FAIL: TaskEnvelope = { ...SQUARE_7, taskId: 't2.1', fn: 'fail', input: { inline: '"boom"' } };
const WARM_REQUESTS = 200;

async function post(port: number, envelope: TaskEnvelope): Promise<TaskOutcome> {
  const response = await fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as TaskOutcome;
}

/** Median time of `count` sequential requests (keep-alive), after a few to warm up. */
async function warmMedianMs(port: number, count: number): Promise<number> {
  for (let i = 0; i < 20; i++) await post(port, SQUARE_7);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await post(port, SQUARE_7);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

describe('OCI image of a bundle (buildah FROM scratch, run by podman)', () => {
  let dir: string;
  let bundle: Bundle;
  let image: OciImage | undefined;
  let container: string | undefined;
  let port: number;
  const tag = `localhost/isthmus-oci-test:${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-oci-test-'));
    bundle = await buildBundle({ entry: FUNCTIONS, outDir: join(dir, 'bundle') });
  });
  afterAll(async () => {
    if (container) await runOciTool('podman', ['rm', '--force', '--time', '1', container]).catch(() => {});
    if (image) await runOciTool('podman', ['rmi', '--force', image.imageId]).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  it('says how to install buildah when it is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'no-such-dir');
    try {
      await expect(buildOciImage({ bundle, tag })).rejects.toMatchObject({
        code: 'ERR_FAAS_BACKEND_UNAVAILABLE',
        message: expect.stringContaining('apt-get install'),
      });
    } finally {
      process.env.PATH = path;
    }
  });

  it('builds an image that serves the bundle with functions-framework', async () => {
    const buildStart = performance.now();
    image = await buildOciImage({ bundle, tag });
    const buildMs = performance.now() - buildStart;
    expect(image.tag).toBe(tag);
    expect(image.imageId).toMatch(/^[0-9a-f]{64}$/);
    expect(image.sizeBytes).toBeGreaterThan(10_000_000);
    const label = await runOciTool('podman', [
      'image',
      'inspect',
      '--format',
      `{{index .Labels "${OCI_LABEL_BUNDLE_HASH}"}}`,
      image.imageId,
    ]);
    expect(label).toBe(bundle.hash);

    // Host networking with PORT set; the import keeps the server on loopback, as the HTTP backend does.
    port = await freeLoopbackPort();
    const runStart = performance.now();
    container = await runOciTool('podman', [
      'run',
      '--detach',
      '--rm',
      ...PODMAN_RUN_WORKAROUNDS,
      '--network=host',
      '--stop-timeout',
      '1',
      '--env',
      `PORT=${port}`,
      '--env',
      `NODE_OPTIONS=--import=${LOOPBACK_ONLY_IMPORT}`,
      image.imageId,
    ]);
    let first: TaskOutcome | undefined;
    const deadline = Date.now() + 20_000;
    while (!first && Date.now() < deadline) {
      first = await post(port, SQUARE_7).catch(() => undefined);
      if (!first) await delay(20);
    }
    const firstAnswerMs = performance.now() - runStart;
    if (!first) {
      const logs = await runOciTool('podman', ['logs', container]).catch((error: Error) => error.message);
      throw new Error(`the container did not answer within 20 s:\n${logs}`);
    }
    expect(first).toMatchObject({ taskId: 't1.1', ok: true, output: { inline: '49' } });

    const failed = await post(port, FAIL);
    expect(failed).toMatchObject({
      taskId: 't2.1',
      ok: false,
      error: { name: 'TypeError', message: 'boom' },
    });

    const containerMs = await warmMedianMs(port, WARM_REQUESTS);
    const host = await RuntimeProcess.start(
      runtimeArgs('functions-framework', 'http', bundle),
      {},
      acceptsConnections,
    );
    let hostMs: number;
    try {
      hostMs = await warmMedianMs(host.port, WARM_REQUESTS);
    } finally {
      host.stop();
    }
    console.log(
      [
        `OCI image ${(image.sizeBytes / 1e6).toFixed(1)} MB, built in ${buildMs.toFixed(0)} ms`,
        `podman run → first answer ${firstAnswerMs.toFixed(0)} ms`,
        `warm p50 ${containerMs.toFixed(2)} ms in the container vs ${hostMs.toFixed(2)} ms on the host ` +
          `(ratio ${(containerMs / hostMs).toFixed(2)})`,
      ].join('\n'),
    );

    const stopStart = performance.now();
    await runOciTool('podman', ['stop', '--time', '1', container]);
    console.log(`podman stop ${(performance.now() - stopStart).toFixed(0)} ms`);
    container = undefined;
    await runOciTool('podman', ['rmi', image.imageId]);
    image = undefined;
  });
});
