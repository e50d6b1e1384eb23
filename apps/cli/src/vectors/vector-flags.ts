import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BACKEND_NAMES, createBackend, type Executor, executor } from '@isthmus/faas';
import { openStore, type S3ConnectionOptions, s3Environment } from '@isthmus/storage';
import { type EmbedderSpec, vectorFunctionsBundle } from '@isthmus/vectors';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parsePositiveInt } from '../arguments.js';

/** Options every `isthmus vectors` subcommand shares (the group's). */
export interface VectorsFlags {
  endpoint?: string;
  region?: string;
}

/** Options of the subcommands that run functions (`ingest`, `index`, `compact`). */
export interface BackendFlags {
  backend: string;
  concurrency?: number;
  store?: string;
}

/** The S3 settings of the group's flags (credentials come from the AWS environment only). */
export function s3Of(flags: VectorsFlags): S3ConnectionOptions {
  return { endpoint: flags.endpoint, region: flags.region };
}

/** A table URL as given (`file://…`, `s3://…`), or a plain path as a `file://` URL. */
export function tableUrl(text: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : pathToFileURL(resolve(text)).href;
}

/** Commander parser of `--embedder`: a JSON spec (`{"kind":"onnx","path":"/models/x"}`) or a kind name. */
export function parseEmbedder(text: string): EmbedderSpec {
  if (!text.trimStart().startsWith('{')) return { kind: text } as EmbedderSpec;
  try {
    const spec = JSON.parse(text);
    if (typeof spec?.kind === 'string') return spec as EmbedderSpec;
  } catch {}
  throw new InvalidArgumentError('expected a kind name (word-vectors) or a JSON spec with a "kind"');
}

/** Adds `--backend`, `--concurrency` and `--store` to a subcommand that runs functions. */
export function withBackendOptions(command: Command): Command {
  return command
    .addOption(
      new Option('-b, --backend <name>', 'where the functions run')
        .choices([...BACKEND_NAMES])
        .default('local'),
    )
    .option('-j, --concurrency <n>', 'functions in flight at most', parsePositiveInt)
    .option('-s, --store <url>', 'object storage for the functions’ large payloads (s3://… or file://…)');
}

/**
 * An executor of the vector functions bundle on the chosen backend; its runtimes get the AWS
 * environment (and the group's endpoint and region) to reach `s3://` tables.
 */
export async function vectorExecutor(
  flags: BackendFlags,
  s3: S3ConnectionOptions,
): Promise<{ executor: Executor; close: () => Promise<void> }> {
  const storage = flags.store ? openStore(flags.store, { s3 }) : undefined;
  const ex = await executor({
    backend: createBackend(flags.backend, { maxConcurrency: flags.concurrency, env: runtimeEnvironment(s3) }),
    bundle: await vectorFunctionsBundle(),
    storage,
  });
  return {
    executor: ex,
    close: async () => {
      await ex.close();
      await storage?.close();
    },
  };
}

function runtimeEnvironment(s3: S3ConnectionOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (name.startsWith('AWS_')) env[name] = value;
  return { ...env, ...s3Environment(s3) };
}
