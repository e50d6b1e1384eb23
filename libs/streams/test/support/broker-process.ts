import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { s3Environment } from '@isthmus/storage';
import type { BrokerOptions } from '../../src/broker/broker.js';
import type { StorePlace } from './store-places.js';

/** A broker running in a child process (see `broker-main.ts`). */
export interface BrokerProcess {
  readonly host: string;
  readonly port: number;
  readonly nodeId: number;
  /** Kills it with SIGKILL: no flush, no deregistration; its lease has to expire. */
  kill(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('./broker-main.ts', import.meta.url));

/** Starts a broker on `place` in a child process and waits until it serves. */
export async function spawnBroker(
  place: StorePlace,
  options: Omit<Partial<BrokerOptions>, 'store' | 's3' | 'report'> = {},
): Promise<BrokerProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@isthmus/source', '--import', 'tsx', MAIN, place.url, JSON.stringify(options)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...(place.s3 ? s3Environment(place.s3) : {}) },
    },
  );
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([once(lines, 'line'), exited.then(() => [undefined])])) as [
    string | undefined,
  ];
  if (line === undefined) throw new Error('the broker process exited before serving');
  const address = JSON.parse(line) as { host: string; port: number; nodeId: number };
  return {
    ...address,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
