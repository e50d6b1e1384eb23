import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { EmbedderSpec } from '@isthmus/vectors';
import { UsageError } from './errors.js';
import type { RagServerOptions } from './rag-server.js';

/** `isthmus-rag --help`. */
export const USAGE = `usage: isthmus-rag [options]
  --table URL        the table (file://… or s3://bucket/prefix/name; default .isthmus/rag/docs here)
  --host HOST        interface to listen on (default 127.0.0.1, loopback only)
  --port N           port (default 8788; 0: any free port)
  --token TOKEN      require "Authorization: Bearer TOKEN" (or set ISTHMUS_RAG_TOKEN)
  --embedder JSON    the embedding model's spec (default {"kind":"word-vectors"})
  --chat-url URL     an OpenAI-compatible chat API (e.g. http://localhost:8000/v1) for the answers;
                     its key from ISTHMUS_RAG_CHAT_KEY or OPENAI_API_KEY
  --chat-model NAME  the chat model (required with --chat-url)
Without --chat-url, answers are the passages' best sentences (extractive).`;

/** The default table: `.isthmus/rag/docs` under the working directory. */
export function defaultTable(cwd = process.cwd()): string {
  return pathToFileURL(resolve(cwd, '.isthmus/rag/docs')).href;
}

/**
 * The server options of `isthmus-rag`'s arguments and environment (`ISTHMUS_RAG_TOKEN`,
 * `ISTHMUS_RAG_CHAT_KEY`, `OPENAI_API_KEY`), or `help` for `--help`.
 * @throws {UsageError} unknown or malformed arguments.
 */
export function parseServerArgs(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): RagServerOptions | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const port = values.port === undefined ? 8788 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: not a port: ${values.port}`);
  if (values['chat-url'] && !values['chat-model']) throw new UsageError('--chat-url needs --chat-model');
  const token = values.token ?? env.ISTHMUS_RAG_TOKEN;
  if (token !== undefined && token.trim() === '') throw new UsageError('the token is empty');
  return {
    table: values.table ?? defaultTable(),
    host: values.host ?? '127.0.0.1',
    port,
    token,
    embedder: values.embedder === undefined ? undefined : embedderSpec(values.embedder),
    chat: values['chat-url']
      ? {
          url: values['chat-url'],
          model: values['chat-model']!,
          apiKey: env.ISTHMUS_RAG_CHAT_KEY ?? env.OPENAI_API_KEY,
        }
      : undefined,
  };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      table: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      token: { type: 'string' },
      embedder: { type: 'string' },
      'chat-url': { type: 'string' },
      'chat-model': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function embedderSpec(text: string): EmbedderSpec {
  try {
    const spec = JSON.parse(text);
    if (typeof spec?.kind === 'string') return spec as EmbedderSpec;
  } catch {}
  throw new UsageError(`--embedder: not an embedder spec (JSON with a "kind"): ${text}`);
}
