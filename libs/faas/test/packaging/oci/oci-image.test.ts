import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/build-bundle.js';
import type { Bundle } from '../../../src/bundle/bundle.js';
import {
  buildOciImage,
  OCI_LABEL_BUNDLE_HASH,
  OCI_LABEL_RUNTIME,
  type OciImage,
} from '../../../src/packaging/oci/oci-image.js';
import { runOciTool } from '../../../src/packaging/oci/oci-tools.js';
import type { TaskEnvelope } from '../../../src/runtime/protocol.js';
import { SQUARE_7 } from '../../fixtures/envelopes.js';
import { type OciContainer, postEnvelope, runOciContainer } from '../../support/oci-container.js';

const FUNCTIONS = fileURLToPath(new URL('../../fixtures/functions.ts', import.meta.url));
const FAIL: TaskEnvelope = { ...SQUARE_7, taskId: 't2.1', fn: 'fail', input: { inline: '"boom"' } };

// Build time, cold start and warm latency of the image are measured by bench/oci-bench.ts.
describe('OCI image of a bundle (buildah FROM scratch, run by podman)', () => {
  let dir: string;
  let bundle: Bundle;
  let image: OciImage | undefined;
  let container: OciContainer | undefined;
  const tag = `localhost/isthmus-oci-test:${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-oci-test-'));
    bundle = await buildBundle({ entry: FUNCTIONS, outDir: join(dir, 'bundle') });
  });
  afterAll(async () => {
    if (container) await runOciTool('podman', ['rm', '--force', '--time', '1', container.id]).catch(() => {});
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
    image = await buildOciImage({ bundle, tag });
    expect(image.tag).toBe(tag);
    expect(image.imageId).toMatch(/^[0-9a-f]{64}$/);
    expect(image.sizeBytes).toBeGreaterThan(10_000_000);
    const config = JSON.parse(
      await runOciTool('podman', ['image', 'inspect', '--format', '{{json .Config}}', image.imageId]),
    ) as { Labels: Record<string, string>; Entrypoint: string[] };
    expect(config.Labels[OCI_LABEL_BUNDLE_HASH]).toBe(bundle.hash);
    expect(config.Labels[OCI_LABEL_RUNTIME]).toMatch(/^functions-framework@\d+\.\d+\.\d+/);
    expect(config.Entrypoint.join(' ')).toMatch(/functions-framework\.cjs$/);

    container = await runOciContainer(image.imageId, SQUARE_7);
    expect(container.first).toMatchObject({ taskId: 't1.1', ok: true, output: { inline: '49' } });
    expect(await postEnvelope(container.port, FAIL)).toMatchObject({
      taskId: 't2.1',
      ok: false,
      error: { name: 'TypeError', message: 'boom' },
    });

    await container.stop();
    container = undefined;
    await runOciTool('podman', ['rmi', image.imageId]);
    image = undefined;
  });
});
