import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** How to reach an S3-compatible server; unset fields come from the standard AWS environment. */
export interface S3ConnectionOptions {
  /** e.g. `http://127.0.0.1:7480`; default: `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, or AWS itself. */
  endpoint?: string;
  /** Default: `AWS_REGION`, `AWS_DEFAULT_REGION`, or `us-east-1`. */
  region?: string;
  /** Static credentials; default: the SDK's chain (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, profiles, …). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Path-style addressing (`endpoint/bucket/key`); default true when an endpoint is given. */
  forcePathStyle?: boolean;
  /** Open connections at most (default 64). */
  maxSockets?: number;
}

/** The endpoint these options resolve to, if any. */
export function resolveEndpoint(options: S3ConnectionOptions): string | undefined {
  return options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
}

/**
 * The standard AWS environment variables that give another process (a function's runtime, a job,
 * a worker) the connection these options describe: endpoint, region and static credentials, those
 * that are set.
 */
export function s3Environment(options: S3ConnectionOptions = {}): Record<string, string> {
  const env: Record<string, string> = {};
  if (options.endpoint) env.AWS_ENDPOINT_URL_S3 = options.endpoint;
  if (options.region) env.AWS_REGION = options.region;
  if (options.credentials) {
    env.AWS_ACCESS_KEY_ID = options.credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = options.credentials.secretAccessKey;
    if (options.credentials.sessionToken) env.AWS_SESSION_TOKEN = options.credentials.sessionToken;
  }
  return env;
}

/**
 * Builds an SDK client tuned for data transfer: keep-alive sockets, no SDK-level retries (the store
 * retries itself, with knowledge of which operations are safe to repeat), checksums only where the
 * API requires them (S3-compatible servers differ in the checksum headers they accept).
 */
export function createS3Client(options: S3ConnectionOptions): S3Client {
  const endpoint = resolveEndpoint(options);
  const maxSockets = options.maxSockets ?? 64;
  return new S3Client({
    endpoint,
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    credentials: options.credentials,
    forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      connectionTimeout: 10_000,
      requestTimeout: 120_000,
    }),
  });
}
