/**
 * The texts outside everyday prose that every embedder must take, by name. The conformance suite
 * embeds each one alone; `documentedErrors` names those an embedder refuses on purpose.
 */
export type ConformanceTextKind =
  | 'long'
  | 'long word'
  | 'emoji'
  | 'combining accents'
  | 'right-to-left'
  | 'other scripts'
  | 'whitespace only'
  | 'punctuation only'
  | 'empty';

/** An anchor text, a paraphrase of it and an unrelated text (for the opt-in similarity check). */
export interface SimilarityTriple {
  anchor: string;
  similar: string;
  unrelated: string;
}

/** Everyday sentences of varied lengths, mostly common English words (as a small vocabulary has). */
const SENTENCES = [
  'the cat sat on the mat.',
  'hello world!',
  'the dog runs on the mat, playing.',
  'A storage system keeps objects under keys and answers requests for them over the network.',
  'Rain is expected tomorrow in the north, with strong winds near the coast in the evening.',
  'cats',
  'The committee will meet on Thursday to discuss the budget for the coming year and the new building.',
  'the dog runs',
];

/** `chars` characters of prose made of the everyday sentences, in a varied order. */
export function longProse(chars: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const sentence = SENTENCES[(i * 5 + Math.floor(i / SENTENCES.length)) % SENTENCES.length]!;
    parts.push(sentence);
    length += sentence.length + 1;
  }
  return parts.join(' ').slice(0, chars);
}

/** Each kind of text the suite embeds alone, `long` being `longTextChars` characters of prose. */
export function conformanceTexts(longTextChars: number): Record<ConformanceTextKind, string> {
  return {
    long: longProse(longTextChars),
    'long word': 'x'.repeat(5000),
    emoji: '🙂🚀 👩‍👩‍👧 🇫🇷 👍🏽',
    // decomposed: each accent is its own combining code point
    'combining accents': 'cafe\u0301 nai\u0308ve re\u0301sume\u0301 n\u0303',
    'right-to-left': 'שלום עולם مرحبا بالعالم',
    'other scripts': '日本語のテキスト 한국어 Ελληνικά русский',
    'whitespace only': ' \t\n \u00a0\u3000 ',
    'punctuation only': '?!… — ;:,.()[]{}«»',
    empty: '',
  };
}

/** `count` texts of varied lengths (a word to a few hundred characters), each one different. */
export function variedTexts(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const sentences = Array.from(
      { length: 1 + (i % 4) },
      (_, j) => SENTENCES[(i + 3 * j) % SENTENCES.length],
    );
    return `${sentences.join(' ')} ${i}`;
  });
}

/**
 * Paraphrases next to unrelated sentences, for `similarity: true`: a model of meaning puts each
 * anchor nearer to its paraphrase than to the unrelated text.
 */
export const PARAPHRASE_TRIPLES: readonly SimilarityTriple[] = [
  {
    anchor: 'The train to the airport was cancelled this morning',
    similar: 'This morning the airport railway service did not run',
    unrelated: 'She planted tomatoes and beans in her garden',
  },
  {
    anchor: 'He paid for the groceries with his credit card',
    similar: 'He bought the food at the supermarket and paid by card',
    unrelated: 'The volcano erupted and covered the island in ash',
  },
  {
    anchor: 'The patient was treated at the hospital for a broken leg',
    similar: 'Doctors at the clinic set the injured man’s fractured bone',
    unrelated: 'The band released a new album of jazz songs',
  },
  {
    anchor: 'The database server crashed because the disk was full',
    similar: 'The server failed when its storage ran out of space',
    unrelated: 'The children built a snowman in the park',
  },
];
