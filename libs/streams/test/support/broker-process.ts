import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { S3Endpoint } from '@isthmus/services';

/** What `broker-main.ts` is told: the store, the port, timings, and an optional stall. */
export interface BrokerProcessConfig {
  /** The store URL (`file:///…` or `s3://bucket/prefix`). */
  url: string;
  s3?: S3Endpoint;
  /** 0 or absent: a free port. */
  port?: number;
  flushWindowMs: number;
  leaseMs?: number;
  /** Freeze every write once the `nth` write to a key containing `keyIncludes` has landed. */
  stallAfterWrite?: { keyIncludes: string; nth: number };
}

/** A broker running in a child process (see `broker-main.ts`). */
export interface BrokerProcess {
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number;
  readonly nodeId: number;
  /** `127.0.0.1:<port>`. */
  readonly bootstrap: string;
  /** Resolves with the key of the write after which the process stalled (if a stall was configured). */
  readonly stalled: Promise<string>;
  /** Kills it with SIGKILL: nothing is flushed, answered or deregistered. */
  kill(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('./broker-main.ts', import.meta.url));
const START_TIMEOUT_MS = 20_000;

/** Starts a broker process and waits until it listens. */
export function spawnBroker(config: BrokerProcessConfig): Promise<BrokerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@isthmus/source', '--import', 'tsx', MAIN, JSON.stringify(config)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let onStalled: (key: string) => void = () => {};
  const stalled = new Promise<string>((resolve) => {
    onStalled = resolve;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the broker process did not listen within ${START_TIMEOUT_MS} ms\n${stderr}`));
    }, START_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the broker process exited (${code}) before listening\n${stderr}`));
    });
    let pending = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const event = JSON.parse(line) as { event: string; port?: number; nodeId?: number; key?: string };
        if (event.event === 'stalled') onStalled(event.key!);
        if (event.event !== 'listening') continue;
        clearTimeout(timer);
        resolve({
          port: event.port!,
          nodeId: event.nodeId!,
          bootstrap: `127.0.0.1:${event.port}`,
          stalled,
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
  });
}
