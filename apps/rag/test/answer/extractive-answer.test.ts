import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractiveAnswer, renderManPages, splitSentences, termsOf } from '../../src/index.js';

// The extractive answerer on real passages: paragraphs of rendered manual pages.
describe('extractiveAnswer', () => {
  let dir: string;
  let tcp: string;
  let kill: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-rag-extractive-'));
    await renderManPages(dir, ['tcp.7', 'kill.1']);
    tcp = await readFile(join(dir, 'tcp.7.txt'), 'utf8');
    kill = await readFile(join(dir, 'kill.1.txt'), 'utf8');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const passageAround = (text: string, needle: string) => {
    const at = text.indexOf(needle);
    expect(at).toBeGreaterThanOrEqual(0);
    return text.slice(Math.max(0, at - 600), at + 600);
  };

  it('picks the sentences that share the question’s rarest words, citing their passages', () => {
    const passages = [
      { text: passageAround(kill, 'signal'), source: 'file:///c/kill.1.txt', score: 0.9 },
      { text: passageAround(tcp, 'disable the Nagle'), source: 'file:///c/tcp.7.txt', score: 0.8 },
    ];
    const answer = extractiveAnswer('How do I turn off the Nagle algorithm?', passages, { sentences: 2 });
    expect(answer.sentences[0]).toMatchObject({ source: 'file:///c/tcp.7.txt', passage: 2 });
    expect(answer.sentences[0]!.text).toMatch(/Nagle/);
    expect(answer.text.startsWith(`${answer.sentences[0]!.text} [2]`)).toBe(true);
    expect(answer.sentences.length).toBeLessThanOrEqual(2);
  });

  it('falls back to the top passage’s first sentence when no word matches, and is empty without passages', () => {
    const passages = [{ text: passageAround(kill, 'signal'), source: 'file:///c/kill.1.txt', score: 1 }];
    const answer = extractiveAnswer('zzyzx qwxv', passages);
    expect(answer.sentences).toEqual([
      { text: splitSentences(passages[0]!.text)[0], source: 'file:///c/kill.1.txt', passage: 1 },
    ]);
    expect(extractiveAnswer('anything', [])).toEqual({ text: '', sentences: [] });
  });

  it('cuts sentences at headings and list terms, and keeps complete ones', () => {
    const text =
      'Waiting for a signal to be caught\n       The following calls suspend the thread until a signal\n' +
      '       is caught.  They return -1.\n\npause(2)\n              Suspends execution until any signal is caught.\n';
    expect(splitSentences(text)).toEqual([
      'The following calls suspend the thread until a signal is caught.',
      'Suspends execution until any signal is caught.',
    ]);
    expect(termsOf('The Signals of a process, and its PIDs')).toEqual(['signal', 'process', 'pid']);
  });
});
