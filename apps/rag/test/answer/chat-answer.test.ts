import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  askChat,
  buildChatRequest,
  ChatEndpointError,
  chatAnswerOf,
  chatCompletionsUrl,
} from '../../src/index.js';

// The chat path is tested by the request it builds and the answer it reads: no OpenAI-compatible
// chat server with a model can be run on this machine (no model weights can be downloaded), and a
// stand-in server would only echo these tests' own assumptions.
describe('the chat answerer', () => {
  const passages = [
    { text: 'kill - send a signal to a process', source: 'file:///corpus/kill.1.txt', score: 0.9 },
    { text: 'x'.repeat(5000), source: 's3://bucket/docs/long.txt', score: 0.5 },
  ];

  it('asks the model to answer from the numbered passages, citing them', () => {
    const request = buildChatRequest('How do I stop a process?', passages, 'llama-3-8b');
    expect(request.model).toBe('llama-3-8b');
    expect(request.temperature).toBe(0);
    expect(request.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(request.messages[0]!.content).toMatch(/only the numbered passages/);
    const user = request.messages[1]!.content;
    expect(user).toContain('[1] (kill.1.txt)\nkill - send a signal to a process');
    expect(user).toContain(`[2] (long.txt)\n${'x'.repeat(2000)}\n`);
    expect(user).not.toContain('x'.repeat(2001));
    expect(user.endsWith('Question: How do I stop a process?')).toBe(true);
  });

  it('posts to <base>/chat/completions and reads choices[0].message.content', () => {
    expect(chatCompletionsUrl('http://localhost:8000/v1/')).toBe('http://localhost:8000/v1/chat/completions');
    expect(chatCompletionsUrl('http://h/v1/chat/completions')).toBe('http://h/v1/chat/completions');
    expect(
      chatAnswerOf({ choices: [{ message: { role: 'assistant', content: ' Use kill(1) [1]. ' } }] }),
    ).toBe('Use kill(1) [1].');
    for (const body of [{}, { choices: [] }, { choices: [{ message: {} }] }, null]) {
      expect(() => chatAnswerOf(body)).toThrow(ChatEndpointError);
    }
  });

  it('names an unreachable endpoint', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const error = await askChat({ url: `http://127.0.0.1:${port}/v1`, model: 'm' }, 'q', passages).catch(
      (caught) => caught,
    );
    expect(error).toBeInstanceOf(ChatEndpointError);
    expect(error).toMatchObject({ code: 'ERR_RAG_CHAT', status: 502 });
    expect(error.message).toContain(`127.0.0.1:${port}/v1/chat/completions`);
  });
});
