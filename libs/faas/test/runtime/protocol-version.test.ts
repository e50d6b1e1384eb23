import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/backend.js';
import { LocalBackend } from '../../src/backends/local/local-backend.js';
import { buildBundle } from '../../src/bundle/build-bundle.js';
import type { Bundle } from '../../src/bundle/bundle.js';
import { executor } from '../../src/executor.js';
import { PROTOCOL_VERSION } from '../../src/runtime/protocol.js';
import { runTask } from '../../src/runtime/run-task.js';
import { SQUARE_7 } from '../fixtures/envelopes.js';
import type * as Functions from '../fixtures/functions.js';

const FUNCTIONS = fileURLToPath(new URL('../fixtures/functions.ts', import.meta.url));

describe('the wire protocol version', () => {
  it('is refused by a runtime when it is another, before the function runs', async () => {
    let calls = 0;
    const fns = {
      square: async (n: number) => {
        calls++;
        return n * n;
      },
    };
    const { protocol: _, ...unversioned } = SQUARE_7; // as an executor from before versions sends it
    for (const envelope of [{ ...SQUARE_7, protocol: PROTOCOL_VERSION + 1 }, unversioned]) {
      const outcome = await runTask(fns, envelope as typeof SQUARE_7);
      expect(outcome).toMatchObject({
        taskId: SQUARE_7.taskId,
        protocol: PROTOCOL_VERSION,
        ok: false,
        error: {
          name: 'ProtocolVersionError',
          code: 'ERR_FAAS_PROTOCOL_VERSION',
          message: expect.stringContaining(`to a runtime that speaks version ${PROTOCOL_VERSION}`),
        },
      });
    }
    expect(calls).toBe(0);
    expect(await runTask(fns, SQUARE_7)).toMatchObject({ ok: true, output: { inline: '49' } });
  });

  describe('between an executor and a bundle built by another @isthmus/faas version', () => {
    let dir: string;
    let bundle: Bundle;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'isthmus-faas-protocol-'));
      bundle = await buildBundle({ entry: FUNCTIONS, outDir: join(dir, 'bundle') });
      // the runtime inside the bundle, as a later version of the library would have built it
      const text = await readFile(bundle.file, 'utf8');
      const declaration = `PROTOCOL_VERSION = ${PROTOCOL_VERSION};`;
      expect(text.split(declaration)).toHaveLength(2);
      await writeFile(bundle.file, text.replace(declaration, `PROTOCOL_VERSION = ${PROTOCOL_VERSION + 1};`));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('fails the task with ProtocolVersionError, once, without retrying it', async () => {
      const local = new LocalBackend({ maxWorkers: 1 });
      const attempts: string[] = [];
      const backend: Backend = {
        name: local.name,
        maxConcurrency: local.maxConcurrency,
        prepare: (prepared) => local.prepare(prepared),
        invoke: (envelope, signal) => {
          attempts.push(envelope.taskId);
          return local.invoke(envelope, signal);
        },
        close: () => local.close(),
      };
      const ex = await executor<typeof Functions>({ backend, bundle, retries: 5 });
      const future = ex.call('square', 3);
      await expect(future.result()).rejects.toMatchObject({
        name: 'ProtocolVersionError',
        code: 'ERR_FAAS_PROTOCOL_VERSION',
        sent: PROTOCOL_VERSION,
        supported: PROTOCOL_VERSION + 1,
        message: expect.stringContaining('build the bundle with the @isthmus/faas version the executor runs'),
      });
      expect(future.state).toBe('failed');
      expect(attempts).toEqual([`${future.id}.1`]);
      await ex.close();
    });
  });
});
