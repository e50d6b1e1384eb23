import type { IngestJobStatus } from '../../src/index.js';

/** The JSON error body of the server. */
export interface ErrorBody {
  error: { code?: string; message: string };
}

/** A JSON request to the server under test: its status, headers and parsed body (typed as `T`). */
export async function requestJson<T = ErrorBody>(
  url: string,
  init: { method?: string; body?: unknown; token?: string; rawBody?: string } = {},
): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined && init.rawBody === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body !== undefined || init.rawBody !== undefined
        ? { 'content-type': 'application/json' }
        : {}),
    },
    body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Polls `GET /ingest/<id>` until the job ends; returns its final status and every state seen. */
export async function waitForJob(
  server: string,
  id: string,
  token?: string,
): Promise<{ job: IngestJobStatus; states: string[] }> {
  const states: string[] = [];
  for (;;) {
    const { body: job } = await requestJson<IngestJobStatus>(`${server}/ingest/${id}`, { token });
    if (states.at(-1) !== job.state) states.push(job.state);
    if (job.state === 'succeeded' || job.state === 'failed') return { job, states };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
