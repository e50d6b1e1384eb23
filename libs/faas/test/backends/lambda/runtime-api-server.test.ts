import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type Agent, type IncomingHttpHeaders, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RuntimeApiServer } from '../../../src/backends/lambda/runtime-api-server.js';
import { findRuntimeInterfaceClient } from '../../../src/backends/lambda/runtime-interface-client.js';

const NEXT = '/2018-06-01/runtime/invocation/next';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP request to the server, as a runtime would make it. */
function send(
  api: RuntimeApiServer,
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; agent?: Agent } = {},
): Promise<Reply> {
  const [host, port] = api.address.split(':');
  return new Promise((resolve, reject) => {
    const req = request(
      { host, port: Number(port), method, path, headers: options.headers, agent: options.agent },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    req.on('error', reject).end(options.body);
  });
}

/** A raw `next` long-poll on its own connection, to be destroyed as a killed runtime's would be. */
function openLongPoll(api: RuntimeApiServer): Socket {
  const [host, port] = api.address.split(':');
  const socket = connect(Number(port), host!);
  socket.on('error', () => undefined);
  socket.write(`GET ${NEXT} HTTP/1.1\r\nHost: ${api.address}\r\n\r\n`);
  return socket;
}

describe('RuntimeApiServer: the Lambda Runtime API, driven by a plain HTTP client', () => {
  let api: RuntimeApiServer;
  beforeAll(async () => {
    api = await RuntimeApiServer.start({ functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f' });
  });
  afterAll(() => api.close());

  it('listens on loopback only', () => {
    expect(api.address).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('hands a queued event to the next long-poll, with the invocation headers, and resolves its response', async () => {
    const deadlineMs = Date.now() + 60_000;
    const answered = api.invoke({ hello: 'world' }, { requestId: 'req-1', deadlineMs });
    const next = await send(api, 'GET', NEXT);
    expect(next.status).toBe(200);
    expect(JSON.parse(next.body)).toEqual({ hello: 'world' });
    expect(next.headers).toMatchObject({
      'lambda-runtime-aws-request-id': 'req-1',
      'lambda-runtime-deadline-ms': String(deadlineMs),
      'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:eu-west-1:123456789012:function:f',
    });
    const posted = await send(api, 'POST', '/2018-06-01/runtime/invocation/req-1/response', {
      body: JSON.stringify({ ok: 1 }),
    });
    expect(posted.status).toBe(202);
    expect(await answered).toEqual({ kind: 'response', payload: { ok: 1 } });
    expect(api.pending).toBe(0);
  });

  it('holds a long-poll until an event arrives', async () => {
    const polls = api.polls;
    const next = send(api, 'GET', NEXT);
    await new Promise<void>((resolve) => api.once('poll', () => resolve()));
    expect(api.polls).toBe(polls + 1);
    const answered = api.invoke([1, 2, 3]);
    const delivered = await next;
    expect(JSON.parse(delivered.body)).toEqual([1, 2, 3]);
    const id = String(delivered.headers['lambda-runtime-aws-request-id']);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await send(api, 'POST', `/2018-06-01/runtime/invocation/${id}/response`, { body: 'null' });
    expect(await answered).toEqual({ kind: 'response', payload: null });
  });

  it('resolves an invocation error with its type, message and trace', async () => {
    const answered = api.invoke({}, { requestId: 'req-err' });
    await send(api, 'GET', NEXT);
    await send(api, 'POST', '/2018-06-01/runtime/invocation/req-err/error', {
      body: JSON.stringify({ errorMessage: 'boom', trace: ['Error: boom', '    at f (index.mjs:1:1)'] }),
      headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.UnhandledPromiseRejection' },
    });
    expect(await answered).toEqual({
      kind: 'error',
      error: {
        errorType: 'Runtime.UnhandledPromiseRejection',
        errorMessage: 'boom',
        trace: ['Error: boom', '    at f (index.mjs:1:1)'],
      },
    });
  });

  it('reports an init error', async () => {
    const reported = new Promise((resolve) => api.once('initError', resolve));
    const posted = await send(api, 'POST', '/2018-06-01/runtime/init/error', {
      body: JSON.stringify({ errorType: 'Runtime.ImportModuleError', errorMessage: 'no module' }),
    });
    expect(posted.status).toBe(202);
    expect(await reported).toEqual({ errorType: 'Runtime.ImportModuleError', errorMessage: 'no module' });
  });

  it('skips a long-poll whose socket closed, so a killed runtime cannot swallow the next event', async () => {
    const killed = openLongPoll(api);
    await new Promise<void>((resolve) => api.once('poll', () => resolve()));
    expect(api.waiting).toBe(1);
    killed.destroy(); // the runtime process was killed while it waited
    await vi.waitFor(() => expect(api.waiting).toBe(0));
    const answered = api.invoke('for the live runtime', { requestId: 'req-live' });
    const next = await send(api, 'GET', NEXT);
    expect(next.headers['lambda-runtime-aws-request-id']).toBe('req-live');
    await send(api, 'POST', '/2018-06-01/runtime/invocation/req-live/response', { body: '"done"' });
    expect(await answered).toEqual({ kind: 'response', payload: 'done' });
  });

  it('reports an event written into a connection that then closes as lost, instead of waiting forever', async () => {
    const killed = openLongPoll(api);
    await new Promise<void>((resolve) => api.once('poll', () => resolve()));
    killed.destroy(); // and an event is dispatched before the server could see it
    expect(await api.invoke('raced', { requestId: 'req-raced' })).toEqual({
      kind: 'lost',
      detail: expect.stringContaining('closed the connection'),
    });
    expect(api.pending).toBe(0);
  });

  it('withdraws an aborted invocation, queued or in flight', async () => {
    const queued = new AbortController();
    const withdrawn = api.invoke('never delivered', { signal: queued.signal });
    queued.abort(new Error('gave up'));
    await expect(withdrawn).rejects.toThrow('gave up');

    const running = new AbortController();
    const inFlight = api.invoke('delivered', { requestId: 'req-abort', signal: running.signal });
    const next = await send(api, 'GET', NEXT);
    expect(JSON.parse(next.body)).toBe('delivered');
    running.abort(new Error('timed out'));
    await expect(inFlight).rejects.toThrow('timed out');
    const late = await send(api, 'POST', '/2018-06-01/runtime/invocation/req-abort/response', { body: '1' });
    expect(late.status).toBe(400);
    expect(JSON.parse(late.body)).toMatchObject({ errorType: 'InvalidRequestID' });
    expect(api.pending).toBe(0);
  });

  it('answers 400 to an unreadable body and 404 to unknown routes', async () => {
    const answered = api.invoke({}, { requestId: 'req-bad' });
    await send(api, 'GET', NEXT);
    const bad = await send(api, 'POST', '/2018-06-01/runtime/invocation/req-bad/response', {
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    await send(api, 'POST', '/2018-06-01/runtime/invocation/req-bad/response', { body: '2' });
    expect(await answered).toEqual({ kind: 'response', payload: 2 });
    expect((await send(api, 'GET', '/2018-06-01/runtime/invocation/x/response')).status).toBe(404);
    expect((await send(api, 'GET', '/')).status).toBe(404);
  });

  it('rejects what is pending when closed', async () => {
    const other = await RuntimeApiServer.start();
    const pending = other.invoke('left behind');
    await other.close();
    await expect(pending).rejects.toThrow('closed');
  });
});

describe('RuntimeApiServer with the official runtime interface client (aws-lambda-ric)', () => {
  let dir: string;
  let api: RuntimeApiServer;
  let stop: () => void;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-runtime-api-'));
    await writeFile(
      join(dir, 'index.mjs'),
      [
        'export const handler = async (event, context) => {',
        "  if (event.fail) throw new RangeError('asked to fail');",
        '  return {',
        '    event,',
        '    requestId: context.awsRequestId,',
        '    arn: context.invokedFunctionArn,',
        '    remainingMs: context.getRemainingTimeInMillis(),',
        '    functionName: context.functionName,',
        '  };',
        '};',
      ].join('\n'),
    );
  });
  afterEach(() => stop?.());
  afterAll(async () => {
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves an ESM handler: events in, responses and errors out, context from the headers', async () => {
    api = await RuntimeApiServer.start({
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:probe',
    });
    const child = spawn(process.execPath, [findRuntimeInterfaceClient().bin, 'index.handler'], {
      cwd: dir,
      env: { ...process.env, AWS_LAMBDA_RUNTIME_API: api.address, AWS_LAMBDA_FUNCTION_NAME: 'probe' },
      stdio: 'ignore',
    });
    stop = () => child.kill('SIGKILL');
    const deadlineMs = Date.now() + 3_600_000;
    const invoked = Date.now();
    const answer = await api.invoke({ n: 1 }, { requestId: 'ric-1', deadlineMs });
    const answered = Date.now();
    expect(answer).toEqual({
      kind: 'response',
      payload: {
        event: { n: 1 },
        requestId: 'ric-1',
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:probe',
        remainingMs: expect.any(Number),
        functionName: 'probe',
      },
    });
    // the handler asked between the invocation and its answer: the deadline counts down from there
    const { remainingMs } = (answer as { payload: { remainingMs: number } }).payload;
    expect(remainingMs).toBeGreaterThanOrEqual(deadlineMs - answered);
    expect(remainingMs).toBeLessThanOrEqual(deadlineMs - invoked);

    expect(await api.invoke({ fail: true })).toEqual({
      kind: 'error',
      error: {
        errorType: 'RangeError',
        errorMessage: 'asked to fail',
        trace: expect.arrayContaining([expect.stringContaining('RangeError: asked to fail')]),
      },
    });
    // the runtime goes on serving after a handler error
    expect(await api.invoke({ n: 2 })).toMatchObject({ kind: 'response', payload: { event: { n: 2 } } });
  });
});
