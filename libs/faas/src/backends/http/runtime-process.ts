import { type ChildProcess, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { BundleError } from '../../errors.js';

/** A free TCP port on loopback (asked of the kernel, then released for the runtime to take). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A function runtime running as a child process, serving HTTP on a loopback port. Keeps the tail
 * of its output for error messages; `exited` settles when the process ends.
 */
export class RuntimeProcess {
  readonly exited: Promise<number | null>;
  #output = '';

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * Starts `node <args>` with `port` substituted for `{port}` and waits until `isReady(port)` holds
   * (bounded); a runtime that exits or never answers fails with `BundleError` and its output.
   */
  static async start(
    args: string[],
    env: NodeJS.ProcessEnv,
    isReady: (port: number) => Promise<boolean>,
    timeoutMs = 30_000,
  ): Promise<RuntimeProcess> {
    const port = await freeLoopbackPort();
    const child = spawn(
      process.execPath,
      args.map((arg) => arg.replaceAll('{port}', String(port))),
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const runtime = new RuntimeProcess(child, port);
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void runtime.exited.then(() => {
      exited = true;
    });
    while (!exited && Date.now() < deadline) {
      if (await isReady(port).catch(() => false)) return runtime;
      await delay(50);
    }
    runtime.stop();
    throw new BundleError(
      `the function runtime ${exited ? 'exited while starting' : `did not answer within ${timeoutMs} ms`}:\n${runtime.output}`,
    );
  }

  /** The last few KiB the runtime printed. */
  get output(): string {
    return this.#output;
  }

  /** Whether the process is still alive. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Kills the runtime. */
  stop(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}

/** Whether something accepts TCP connections on this loopback port (runtimes listen once loaded). */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
