import { describe, expect, it } from 'vitest';
import { documentOf, loadQuestions, rankDocuments, recallAtK, reciprocalRank } from '../../src/index.js';

describe('retrieval metrics', () => {
  it('ranks the distinct documents of hits in first-seen order', () => {
    expect(documentOf('file:///corpus/man/ls.1.txt')).toBe('ls.1');
    expect(documentOf('s3://bucket/man/resolv.conf.5.txt')).toBe('resolv.conf.5');
    expect(
      rankDocuments([
        'file:///c/tar.1.txt',
        'file:///c/tar.1.txt',
        'file:///c/gzip.1.txt',
        'file:///c/tar.1.txt',
      ]),
    ).toEqual(['tar.1', 'gzip.1']);
  });

  it('computes recall@k and the reciprocal rank', () => {
    const ranked = ['a.1', 'b.2', 'c.3', 'd.4', 'e.5', 'f.6'];
    expect(recallAtK(ranked, ['b.2'], 5)).toBe(1);
    expect(recallAtK(ranked, ['b.2', 'f.6'], 5)).toBe(0.5);
    expect(recallAtK(ranked, ['z.9'], 5)).toBe(0);
    expect(reciprocalRank(ranked, ['c.3', 'f.6'])).toBeCloseTo(1 / 3);
    expect(reciprocalRank(ranked, ['z.9'])).toBe(0);
  });

  it('has at least 30 labelled questions, each with answering documents of the corpus list', async () => {
    const questions = await loadQuestions();
    expect(questions.length).toBeGreaterThanOrEqual(30);
    const { readFile } = await import('node:fs/promises');
    const listed = new Set(
      (await readFile(new URL('../../corpus/man-pages.txt', import.meta.url), 'utf8'))
        .split('\n')
        .filter((line) => !line.startsWith('#'))
        .flatMap((line) => line.trim().split(/\s+/).slice(1)),
    );
    for (const { question, answers } of questions) {
      expect(question.length).toBeGreaterThan(10);
      expect(answers.length).toBeGreaterThan(0);
      for (const answer of answers) expect(listed.has(answer), `${answer} (${question})`).toBe(true);
    }
  });
});
