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

/** A broker process whose store freezes at a chosen write. */
export interface StallingBrokerProcess extends BrokerProcess {
  /** Resolves with the key of the write after which every write of the process hangs. */
  readonly stalled: Promise<string>;
}

/** Which write freezes the store: the `nth` write to a key containing `keyIncludes`. */
export interface Stall {
  keyIncludes: string;
  nth: number;
}

type ProcessOptions = Omit<Partial<BrokerOptions>, 'store' | 's3' | 'report'>;

const MAIN = fileURLToPath(new URL('./broker-main.ts', import.meta.url));

/** Starts a broker on `place` in a child process and waits until it serves. */
export function spawnBroker(place: StorePlace, options: ProcessOptions = {}): Promise<BrokerProcess> {
  return start(place, options);
}

/**
 * Starts a broker on `place` in a child process whose writes all hang once the `stall` write has
 * landed (a fault-injecting store), and waits until it serves.
 */
export function spawnStallingBroker(
  place: StorePlace,
  options: ProcessOptions,
  stall: Stall,
): Promise<StallingBrokerProcess> {
  return start(place, options, stall) as Promise<StallingBrokerProcess>;
}

async function start(
  place: StorePlace,
  options: ProcessOptions,
  stall?: Stall,
): Promise<BrokerProcess | StallingBrokerProcess> {
  const args = [MAIN, place.url, JSON.stringify(options), ...(stall ? [JSON.stringify(stall)] : [])];
  const child = spawn(process.execPath, ['--conditions=@isthmus/source', '--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...(place.s3 ? s3Environment(place.s3) : {}) },
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([once(lines, 'line'), exited.then(() => [undefined])])) as [
    string | undefined,
  ];
  if (line === undefined) throw new Error('the broker process exited before serving');
  const address = JSON.parse(line) as { host: string; port: number; nodeId: number };
  const kill = async () => {
    child.kill('SIGKILL');
    await exited;
  };
  if (!stall) return { ...address, kill };
  const stalled = once(lines, 'line').then(
    ([next]) => (JSON.parse(next as string) as { stalled: string }).stalled,
  );
  return { ...address, kill, stalled };
}
