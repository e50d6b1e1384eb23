import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ObjectStore, openStore, resolveEndpoint, type S3ConnectionOptions } from '@isthmus/storage';
import { InvalidArgumentError } from '../errors.js';

/**
 * Where a table lives. A table URL is a database URL plus the table's name:
 * `file:///data/db/docs` or `s3://bucket/prefix/docs` is table `docs` of the LanceDB database at
 * `file:///data/db` / `s3://bucket/prefix`, stored under `<database>/docs.lance/`.
 */
export interface TableLocation {
  /** The table URL as given (normalised: plain paths become `file://` URLs). */
  url: string;
  /** The table's name (the URL's last segment). */
  name: string;
  /** What `lancedb.connect` takes: a local path or an `s3://` URI. */
  databaseUri: string;
  /** LanceDB storage options (S3 endpoint, region, credentials); empty for files. */
  storageOptions: Record<string, string>;
  /** The database folder as an `@isthmus/storage` store (staging, locks, probes). */
  store: ObjectStore;
  /** The key prefix of the table's own files in `store` (`docs.lance/`). */
  tablePrefix: string;
}

/** Options for reaching a table on S3; unset fields come from the standard AWS environment. */
export interface TableConnectionOptions {
  s3?: S3ConnectionOptions;
}

const TABLE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Resolves a table URL into what LanceDB and `@isthmus/storage` need to reach it. */
export function locateTable(url: string, options: TableConnectionOptions = {}): TableLocation {
  const normalised = isAbsolute(url) ? `file://${resolve(url)}` : url;
  let parsed: URL;
  try {
    parsed = new URL(normalised);
  } catch {
    throw new InvalidArgumentError(
      `${url}: not a table URL (expected file:///dir/name or s3://bucket/prefix/name)`,
    );
  }
  const path = decodeURIComponent(parsed.pathname).replace(/\/+$/, '');
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  if (!TABLE_NAME.test(name)) {
    throw new InvalidArgumentError(`${url}: the last segment must be a table name (letters, digits, _ . -)`);
  }
  const databasePath = path.slice(0, slash);
  switch (parsed.protocol) {
    case 'file:': {
      const databaseDir = fileURLToPath(`file://${databasePath || '/'}`);
      return {
        url: normalised,
        name,
        databaseUri: databaseDir,
        storageOptions: {},
        store: openStore(databaseDir),
        tablePrefix: `${name}.lance/`,
      };
    }
    case 's3:': {
      if (!parsed.hostname) throw new InvalidArgumentError(`${url}: no bucket`);
      const databaseUri = `s3://${parsed.hostname}${databasePath}`;
      return {
        url: normalised,
        name,
        databaseUri,
        storageOptions: lanceS3Options(options.s3 ?? {}),
        store: openStore(databaseUri, { s3: options.s3 }),
        tablePrefix: `${name}.lance/`,
      };
    }
    default:
      throw new InvalidArgumentError(`${url}: unsupported scheme ${parsed.protocol} (use file:// or s3://)`);
  }
}

/** LanceDB's (object_store's) option names for the same connection `@isthmus/storage` uses. */
function lanceS3Options(s3: S3ConnectionOptions): Record<string, string> {
  const options: Record<string, string> = {
    aws_region: s3.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
  };
  const endpoint = resolveEndpoint(s3);
  if (endpoint) {
    options.aws_endpoint = endpoint;
    if (endpoint.startsWith('http://')) options.allow_http = 'true';
    if (s3.forcePathStyle ?? true) options.aws_virtual_hosted_style_request = 'false';
  }
  const accessKeyId = s3.credentials?.accessKeyId ?? process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = s3.credentials?.secretAccessKey ?? process.env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId && secretAccessKey) {
    options.aws_access_key_id = accessKeyId;
    options.aws_secret_access_key = secretAccessKey;
  }
  const sessionToken = s3.credentials?.sessionToken ?? process.env.AWS_SESSION_TOKEN;
  if (sessionToken) options.aws_session_token = sessionToken;
  return options;
}
