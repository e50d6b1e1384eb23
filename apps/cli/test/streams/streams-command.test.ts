import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Broker } from '@isthmus/streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/run-cli-in-process.js';

describe('isthmus streams and isthmus broker', () => {
  let dir: string;
  let broker: Broker;
  let bootstrap: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-cli-streams-'));
    broker = await Broker.start({ store: `file://${dir}`, flushWindowMs: 20, report: () => {} });
    bootstrap = `${broker.address.host}:${broker.address.port}`;
  });
  afterAll(async () => {
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a topic, produces keyed records with headers, lists it, consumes it, deletes it', async () => {
    const streams = (...args: string[]) => cli('streams', '-b', bootstrap, ...args);
    expect((await streams('topics', 'create', 'orders', '--partitions', '2')).code).toBe(0);
    const produced = await streams(
      'produce',
      'orders',
      '-K',
      ':',
      '-p',
      '1',
      '-H',
      'via=cli',
      'a:1',
      'b:2',
      'c:3',
    );
    expect(produced.code, produced.stderr).toBe(0);
    expect(produced.stderr).toContain('sent 3 record(s) to orders');
    const listed = await streams('topics', '--json');
    expect(JSON.parse(listed.stdout.toString())).toEqual({
      topic: 'orders',
      partitions: [
        { partition: 0, low: 0, high: 0 },
        { partition: 1, low: 0, high: 3 },
      ],
    });
    const consumed = await streams('consume', 'orders', '--from-beginning', '--exit', '--json');
    expect(consumed.code, consumed.stderr).toBe(0);
    const records = consumed.stdout
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(
      records.map(({ partition, offset, key, value, headers }) => ({
        partition,
        offset,
        key,
        value,
        headers,
      })),
    ).toEqual([
      { partition: 1, offset: 0, key: 'a', value: '1', headers: { via: 'cli' } },
      { partition: 1, offset: 1, key: 'b', value: '2', headers: { via: 'cli' } },
      { partition: 1, offset: 2, key: 'c', value: '3', headers: { via: 'cli' } },
    ]);
    expect((await streams('topics', 'delete', 'orders')).code).toBe(0);
    expect((await streams('topics')).stdout.toString()).toBe('');
  });

  it('exits 1 naming the address and how to start a broker when none answers there', async () => {
    const { createServer } = await import('node:net');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve)); // a port nobody listens on now
    const result = await cli('streams', '-b', `127.0.0.1:${port}`, 'topics');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no Kafka broker answers at 127.0.0.1:${port}`);
    expect(result.stderr).toContain('isthmus broker --store');
  });

  it('exits 2 on bad usage: a malformed --window, a missing --store', async () => {
    expect((await cli('broker', '--store', dir, '--window', 'soon')).code).toBe(2);
    expect((await cli('broker')).code).toBe(2);
  });

  it('isthmus broker serves kcat until SIGTERM, then stops cleanly', async () => {
    const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        '--conditions=@isthmus/source',
        '--import',
        'tsx',
        main,
        'broker',
        '--store',
        dir,
        '--port',
        '0',
        '--window',
        '20ms',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const exited = once(child, 'exit');
    const [line] = (await once(createInterface({ input: child.stderr }), 'line')) as [string];
    const address = /serving (\S+:\d+)/.exec(line)?.[1];
    expect(address, line).toBeDefined();
    const kcat = spawn('kcat', ['-b', address!, '-L', '-J'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let metadata = '';
    kcat.stdout.setEncoding('utf8').on('data', (text: string) => {
      metadata += text;
    });
    await once(kcat, 'exit');
    expect(JSON.parse(metadata).brokers.map((entry: { name: string }) => entry.name)).toContain(address);
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
