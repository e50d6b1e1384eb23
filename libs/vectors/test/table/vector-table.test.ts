import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { StoreUnreachableError } from '../../src/errors.js';
import { VectorTable } from '../../src/table/vector-table.js';

/** A loopback port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('VectorTable.open on a store nobody answers for', () => {
  it('fails with StoreUnreachableError naming the table and the endpoint, not LanceDB’s retry dump', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const opened = VectorTable.open('s3://no-server/db/docs', {
      s3: { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'id', secretAccessKey: 'secret' } },
    });
    const error = await opened.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnreachableError);
    expect((error as StoreUnreachableError).code).toBe('ERR_VECTORS_STORE_UNREACHABLE');
    expect((error as Error).message).toContain(`s3://no-server/db/docs at ${endpoint}`);
    expect((error as Error).message).not.toContain('RetryError');
  });
});
