import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestJson } from './support/http.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TOKEN = 'never-printed-5d1c';
/** tsx's loader by path: the command runs in a folder outside the workspace. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Starts `isthmus-rag` (from its sources) with `args` and collects its stderr. */
function startRag(args: string[], cwd: string): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, ['--conditions=@isthmus/source', '--import', TSX, MAIN, ...args], {
    cwd,
    env: { ...process.env, ISTHMUS_RAG_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  return { child, stderr: () => stderr };
}

// The isthmus-rag command itself: it starts on loopback with the token from the environment, says
// where it listens and never prints the token, stops on SIGTERM, and refuses bad arguments.
describe('isthmus-rag', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-rag-main-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves on loopback with the token from the environment, never printing it', async () => {
    const { child, stderr } = startRag(['--port', '0'], dir);
    try {
      while (!/http:\/\/\S+ \(/.test(stderr())) {
        if (child.exitCode !== null) throw new Error(`isthmus-rag exited: ${stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(stderr())![1]!;
      expect(stderr()).toContain(`table file://${dir}/.isthmus/rag/docs`);
      expect(stderr()).toContain('bearer token required');
      expect((await requestJson(`${url}/info`)).status).toBe(401);
      expect((await requestJson(`${url}/info`, { token: TOKEN })).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(stderr()).not.toContain(TOKEN);
  });

  it('exits 2 with the usage on bad arguments', async () => {
    const { child, stderr } = startRag(['--port', 'eighty'], dir);
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr()).toContain('--port: not a port: eighty');
    expect(stderr()).toContain('usage: isthmus-rag');
  });
});
