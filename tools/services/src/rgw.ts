import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type {} from 'vitest';

const run = promisify(execFile);

/** The script that installs, starts and stops the local Ceph RADOS Gateway. */
export const RGW_SCRIPT = fileURLToPath(new URL('../rgw.sh', import.meta.url));

/** How to reach the local S3 server: loopback endpoint and throwaway test credentials. */
export interface S3Endpoint {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The local Ceph RGW, started once per test run by `s3-global-setup.ts`. */
    s3: S3Endpoint;
  }
}

/**
 * Starts the local Ceph RGW if it is not running (installing its Debian packages on first use;
 * that takes a minute or two) and returns how to reach it. Fails loudly, never skips.
 */
export async function startRgw(): Promise<S3Endpoint> {
  try {
    await run('bash', [RGW_SCRIPT, 'start'], { maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`could not start the local S3 server (${RGW_SCRIPT} start):\n${stderr ?? error}`);
  }
  return rgwEndpoint();
}

/** Stops the local Ceph RGW (a no-op when it is not running). */
export async function stopRgw(): Promise<void> {
  await run('bash', [RGW_SCRIPT, 'stop']);
}

/** How to reach the local RGW, as `rgw.sh env` prints it. */
export async function rgwEndpoint(): Promise<S3Endpoint> {
  const { stdout } = await run('bash', [RGW_SCRIPT, 'env']);
  const vars = new Map(
    [...stdout.matchAll(/^export (\w+)=['"]?([^'"\n]*)['"]?$/gm)].map((match) => [match[1]!, match[2]!]),
  );
  const need = (name: string) => {
    const value = vars.get(name);
    if (!value) throw new Error(`${RGW_SCRIPT} env printed no ${name}`);
    return value;
  };
  return {
    endpoint: need('ISTHMUS_S3_ENDPOINT'),
    region: need('AWS_REGION'),
    credentials: { accessKeyId: need('AWS_ACCESS_KEY_ID'), secretAccessKey: need('AWS_SECRET_ACCESS_KEY') },
  };
}
