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
 * The sentences of a passage: paragraphs (blank-line separated) with their line breaks and runs of
 * blanks collapsed, cut after `.`, `!` or `?` before a capital, digit or opening bracket; fragments
 * under 20 characters (headings, option names) are left out.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .flatMap((paragraph) => paragraph.split(/(?<=[.!?])\s+(?=[A-Z0-9("'])/))
    .filter((sentence) => sentence.length >= 20);
}

/** Lower-case words of two or more letters or digits, stop words left out, a plural `s` dropped. */
export function termsOf(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9_]{2,}/g) ?? [])
    .filter((word) => !STOP_WORDS.has(word))
    .map((word) => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word));
}
