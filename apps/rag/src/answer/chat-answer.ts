import { ChatEndpointError } from '../errors.js';
import { type Passage, sourceName } from './passage.js';

/** An OpenAI-compatible chat endpoint (vLLM, llama.cpp's server, TGI, OpenAI…). */
export interface ChatEndpoint {
  /** The API's base URL (`http://localhost:8000/v1`) or its `…/chat/completions` URL. */
  url: string;
  /** The model to ask. */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>` when set. */
  apiKey?: string;
  /** Per-request timeout (default 120 s). */
  timeoutMs?: number;
}

/** The body of a `POST /chat/completions` request. */
export interface ChatRequest {
  model: string;
  messages: { role: 'system' | 'user'; content: string }[];
  temperature: number;
}

/** Characters of each passage that go into the prompt at most. */
const MAX_PASSAGE_CHARS = 2000;

const SYSTEM_PROMPT =
  'You answer questions using only the numbered passages you are given. Cite the passages you use ' +
  'as [n]. If the passages do not contain the answer, say so.';

/** The `…/chat/completions` URL of an endpoint given by its base URL or by that URL itself. */
export function chatCompletionsUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/chat/completions') ? trimmed : `${trimmed}/chat/completions`;
}

/**
 * The chat request that asks `model` to answer `question` from `passages`: a system message that
 * restricts it to the passages, and a user message with the passages numbered (each with its source
 * name, cut to 2000 characters) followed by the question.
 */
export function buildChatRequest(question: string, passages: Passage[], model: string): ChatRequest {
  const numbered = passages
    .map(
      (passage, index) =>
        `[${index + 1}] (${sourceName(passage.source)})\n${passage.text.slice(0, MAX_PASSAGE_CHARS)}`,
    )
    .join('\n\n');
  return {
    model,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: `Passages:\n\n${numbered}\n\nQuestion: ${question}` },
    ],
    temperature: 0,
  };
}

/**
 * The answer text of a chat completion response body (`choices[0].message.content`).
 * @throws {ChatEndpointError} the body is not a chat completion with text.
 */
export function chatAnswerOf(body: unknown): string {
  const content = (body as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]?.message
    ?.content;
  if (typeof content !== 'string')
    throw new ChatEndpointError('the chat endpoint answered no choices[0].message.content');
  return content.trim();
}

/**
 * Asks the chat endpoint to answer `question` from `passages` and returns its answer.
 * @throws {ChatEndpointError} the endpoint is unreachable, answers an error status or no completion.
 */
export async function askChat(
  endpoint: ChatEndpoint,
  question: string,
  passages: Passage[],
): Promise<string> {
  const url = chatCompletionsUrl(endpoint.url);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}),
      },
      body: JSON.stringify(buildChatRequest(question, passages, endpoint.model)),
      signal: AbortSignal.timeout(endpoint.timeoutMs ?? 120_000),
    });
  } catch (error) {
    throw new ChatEndpointError(
      `the chat endpoint ${url} is unreachable: ${(error as Error).message}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  const text = await response.text();
  if (!response.ok) {
    throw new ChatEndpointError(
      `the chat endpoint answered ${response.status}: ${text.slice(0, 300)}`,
      response.status,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ChatEndpointError('the chat endpoint answered something that is not JSON', response.status);
  }
  return chatAnswerOf(body);
}
