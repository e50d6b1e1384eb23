import type { Passage } from './passage.js';

/** A sentence of an extractive answer and the passage it was taken from. */
export interface AnswerSentence {
  text: string;
  source: string;
  /** The passage's rank among the search hits, from 1. */
  passage: number;
}

/** An answer made of the passages' own sentences, each cited as `[rank]`. */
export interface ExtractiveAnswer {
  /** The sentences with their citations, best first. */
  text: string;
  sentences: AnswerSentence[];
}

/** Options of `extractiveAnswer`. */
export interface ExtractiveOptions {
  /** Sentences in the answer at most (default 3). */
  sentences?: number;
  /** Characters a sentence is cut to (default 400). */
  maxSentenceChars?: number;
}

/** Words that carry no meaning of their own in a question. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be by can do does for from how i if in into is it its me my of on or so that the ' +
    'their them then there these this to what when where which who why will with without you your'
  ).split(' '),
);

/**
 * Answers `question` from `passages` without a language model: splits the passages into sentences
 * and picks those sharing the most informative question words (each word weighted by its inverse
 * frequency among the candidate sentences), preferring better-ranked passages. When no sentence
 * shares a word, the top passage's first sentence stands in.
 */
export function extractiveAnswer(
  question: string,
  passages: Passage[],
  options: ExtractiveOptions = {},
): ExtractiveAnswer {
  const wanted = options.sentences ?? 3;
  const maxChars = options.maxSentenceChars ?? 400;
  const candidates = passages.flatMap((passage, index) =>
    splitSentences(passage.text).map((text) => ({
      text: text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text,
      terms: new Set(termsOf(text)),
      source: passage.source,
      passage: index + 1,
    })),
  );
  if (candidates.length === 0) return { text: '', sentences: [] };
  const questionTerms = [...new Set(termsOf(question))];
  const frequency = new Map<string, number>();
  for (const term of questionTerms) {
    frequency.set(term, candidates.filter((candidate) => candidate.terms.has(term)).length);
  }
  const scored = candidates.map((candidate, order) => {
    let match = 0;
    for (const term of questionTerms) {
      if (candidate.terms.has(term)) match += Math.log(1 + candidates.length / frequency.get(term)!);
    }
    return { ...candidate, order, score: match / (1 + 0.15 * (candidate.passage - 1)) };
  });
  const seen = new Set<string>();
  const best = scored
    .filter((candidate) => candidate.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .filter((candidate) => !seen.has(candidate.text) && seen.add(candidate.text))
    .slice(0, wanted);
  const chosen = best.length > 0 ? best : [scored[0]!];
  const sentences = chosen.map(({ text, source, passage }) => ({ text, source, passage }));
  return {
    text: sentences.map((sentence) => `${sentence.text} [${sentence.passage}]`).join(' '),
    sentences,
  };
}

/**
 * The sentences of a passage: its paragraphs (blank-line separated, a heading line, one without final
 * punctuation followed by a more indented line (a heading or a term of a list), being a paragraph of its own) with line breaks and
 * runs of blanks collapsed, cut after `.`, `!` or `?` before a capital, digit or opening bracket.
 * Complete sentences (ending in `.`, `!` or `?`) of 20 characters or more are kept; when a passage
 * has none, its fragments of 20 characters or more stand in.
 */
export function splitSentences(text: string): string[] {
  const fragments = paragraphsOf(text)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .flatMap((paragraph) => paragraph.split(/(?<=[.!?])\s+(?=[A-Z0-9("'])/))
    .filter((fragment) => fragment.length >= 20);
  const complete = fragments.filter((fragment) => /[.!?]["')]?$/.test(fragment));
  return complete.length > 0 ? complete : fragments;
}

function paragraphsOf(text: string): string[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') {
      if (current.length > 0) paragraphs.push(current.join('\n'));
      current = [];
      return;
    }
    current.push(line);
    const next = lines[index + 1];
    if (
      next !== undefined &&
      next.trim() !== '' &&
      !/[.,;:!?]$/.test(line.trim()) &&
      indent(next) > indent(line)
    ) {
      paragraphs.push(current.join('\n'));
      current = [];
    }
  });
  if (current.length > 0) paragraphs.push(current.join('\n'));
  return paragraphs;
}

function indent(line: string): number {
  return line.length - line.trimStart().length;
}

/** Lower-case words of two or more letters or digits, stop words left out, a plural `s` dropped. */
export function termsOf(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9_]{2,}/g) ?? [])
    .filter((word) => !STOP_WORDS.has(word))
    .map((word) =>
      word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word,
    );
}
