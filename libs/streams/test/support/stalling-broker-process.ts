import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { s3Environment } from '@isthmus/storage';
import type { BrokerOptions } from '../../src/broker/broker.js';
import type { BrokerProcess } from './broker-process.js';
import type { StorePlace } from './store-places.js';

/** A broker process whose store freezes at a chosen write (see `stalling-broker-main.ts`). */
export interface StallingBrokerProcess extends BrokerProcess {
  /** Resolves with the key of the write after which every write of the process hangs. */
  readonly stalled: Promise<string>;
}

const MAIN = fileURLToPath(new URL('./stalling-broker-main.ts', import.meta.url));

/**
 * Starts a broker on `place` in a child process whose writes all hang once the `nth` write to a
 * key containing `keyIncludes` has landed, and waits until it serves.
 */
export async function spawnStallingBroker(
  place: StorePlace,
  options: Omit<Partial<BrokerOptions>, 'store' | 's3' | 'report'>,
  stall: { keyIncludes: string; nth: number },
): Promise<StallingBrokerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@isthmus/source',
      '--import',
      'tsx',
      MAIN,
      place.url,
      JSON.stringify(options),
      JSON.stringify(stall),
    ],
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
  const stalled = once(lines, 'line').then(
    ([next]) => (JSON.parse(next as string) as { stalled: string }).stalled,
  );
  return {
    ...address,
    stalled,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
