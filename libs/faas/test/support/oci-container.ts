// A container of a bundle's OCI image serving on a loopback port, for the OCI test and bench.
import { setTimeout as delay } from 'node:timers/promises';
import { LOOPBACK_ONLY_IMPORT } from '../../src/backends/http/loopback-only.js';
import { freeLoopbackPort } from '../../src/backends/http/runtime-process.js';
import { PODMAN_RUN_WORKAROUNDS, runOciTool } from '../../src/packaging/oci/oci-tools.js';
import type { TaskEnvelope, TaskOutcome } from '../../src/runtime/protocol.js';

/** How long a container may take to answer its first request. */
const FIRST_ANSWER_TIMEOUT_MS = 30_000;

/** POSTs an envelope to a function runtime on a loopback port and returns its outcome. */
export async function postEnvelope(port: number, envelope: TaskEnvelope): Promise<TaskOutcome> {
  const response = await fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as TaskOutcome;
}

/** A running container of an image. */
export interface OciContainer {
  id: string;
  port: number;
  /** The outcome of the first request, sent until the server answered. */
  first: TaskOutcome;
  /** Stops the container (it was started with `--rm`). */
  stop(): Promise<void>;
}

/**
 * `podman run`s an image on the host network with `PORT` set (and the import that keeps servers
 * on loopback, as the HTTP backend does), and resolves once it answers `probe`; a container that
 * does not answer within 30 s is removed and its logs thrown.
 */
export async function runOciContainer(imageId: string, probe: TaskEnvelope): Promise<OciContainer> {
  const port = await freeLoopbackPort();
  const id = await runOciTool('podman', [
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
    imageId,
  ]);
  const stop = async () => {
    await runOciTool('podman', ['stop', '--time', '1', id]).catch(() => undefined);
  };
  const deadline = Date.now() + FIRST_ANSWER_TIMEOUT_MS;
  for (;;) {
    const first = await postEnvelope(port, probe).catch(() => undefined);
    if (first) return { id, port, first, stop };
    if (Date.now() > deadline) {
      const logs = await runOciTool('podman', ['logs', id]).catch((error: Error) => error.message);
      await stop();
      throw new Error(`the container did not answer within ${FIRST_ANSWER_TIMEOUT_MS} ms:\n${logs}`);
    }
    await delay(20);
  }
}
