import type {} from 'vitest';
import { runServiceScript, serviceEnv, serviceScript } from './service-script.js';

/** The script that installs, starts and stops the local Ceph RADOS Gateway. */
export const RGW_SCRIPT = serviceScript('rgw.sh');

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
  await runServiceScript(RGW_SCRIPT, 'start');
  return rgwEndpoint();
}

/** Stops the local Ceph RGW (a no-op when it is not running). */
export async function stopRgw(): Promise<void> {
  await runServiceScript(RGW_SCRIPT, 'stop');
}

/** How to reach the local RGW, as `rgw.sh env` prints it. */
export async function rgwEndpoint(): Promise<S3Endpoint> {
  const vars = await serviceEnv(RGW_SCRIPT);
  const need = (name: string) => {
    const value = vars[name];
    if (!value) throw new Error(`${RGW_SCRIPT} env printed no ${name}`);
    return value;
  };
  return {
    endpoint: need('ISTHMUS_S3_ENDPOINT'),
    region: need('AWS_REGION'),
    credentials: { accessKeyId: need('AWS_ACCESS_KEY_ID'), secretAccessKey: need('AWS_SECRET_ACCESS_KEY') },
  };
}
