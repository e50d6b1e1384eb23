import { describe, expect, it } from 'vitest';
import { defaultTable, parseServerArgs, UsageError } from '../src/index.js';

describe('isthmus-rag arguments', () => {
  it('defaults to loopback, port 8788, the table under .isthmus/rag, extractive answers', () => {
    expect(parseServerArgs([], {})).toEqual({
      table: defaultTable(),
      host: '127.0.0.1',
      port: 8788,
      token: undefined,
      embedder: undefined,
      chat: undefined,
    });
    expect(defaultTable('/srv/app')).toBe('file:///srv/app/.isthmus/rag/docs');
    expect(parseServerArgs(['--help'], {})).toBe('help');
  });

  it('takes the token and the chat key from the environment, flags first', () => {
    const options = parseServerArgs(
      [
        '--table',
        's3://b/db/docs',
        '--port',
        '0',
        '--chat-url',
        'http://127.0.0.1:8000/v1',
        '--chat-model',
        'm',
      ],
      { ISTHMUS_RAG_TOKEN: 'env-token', OPENAI_API_KEY: 'sk-x' },
    );
    expect(options).toMatchObject({
      table: 's3://b/db/docs',
      port: 0,
      token: 'env-token',
      chat: { url: 'http://127.0.0.1:8000/v1', model: 'm', apiKey: 'sk-x' },
    });
    expect(parseServerArgs(['--token', 'flag'], { ISTHMUS_RAG_TOKEN: 'env' })).toMatchObject({
      token: 'flag',
    });
    expect(parseServerArgs(['--embedder', '{"kind":"onnx","path":"/m"}'], {})).toMatchObject({
      embedder: { kind: 'onnx', path: '/m' },
    });
  });

  it('refuses malformed arguments with a usage error', () => {
    for (const args of [
      ['--port', 'http'],
      ['--port', '70000'],
      ['--chat-url', 'http://x/v1'],
      ['--token', ' '],
      ['--embedder', 'word-vectors'],
      ['--unknown'],
      ['positional'],
    ]) {
      expect(() => parseServerArgs(args, {}), args.join(' ')).toThrow(UsageError);
    }
  });
});
