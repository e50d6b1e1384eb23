import { describe, expect, it } from 'vitest';
import { foldText, Tokenizer } from '../../../src/embedders/word-vectors/tokenizer.js';
import { hashSpan, Vocabulary } from '../../../src/embedders/word-vectors/vocabulary.js';

const WORDS = [
  'the',
  ',',
  '.',
  'cat',
  'sat',
  'do',
  'not',
  'stop',
  ';',
  'we',
  'are',
  'here',
  'it',
  'john',
  'ca',
  'wo',
  'will',
  'have',
  'am',
  'would',
  'i',
  'o',
  'neill',
  'cafe',
  '“',
  '”',
  'quoted',
  'mp3',
  'e-mail',
  'me',
  'example',
  'com',
  'end',
  'next',
  'well-known',
  'foo',
  'bar',
  '$',
  '(',
  ')',
  'they',
  'she',
  'you',
];
const vocabulary = Vocabulary.build(WORDS);
const tokenizer = new Tokenizer(vocabulary);

/** The tokens of `text`: known ones as their word, unknown ones as `?` + their hash. */
function tokens(text: string): string[] {
  const out: string[] = [];
  tokenizer.scan(foldText(text), {
    known: (row) => out.push(vocabulary.word(row)),
    unknown: (hash) => out.push(`?${hash}`),
  });
  return out;
}

/** `?word` for a token the vocabulary lacks. */
const unknown = (token: string) => `?${hashSpan(token, 0, token.length)}`;

describe('Tokenizer', () => {
  it('splits words and punctuation, lower-cased', () => {
    expect(tokens('The cat  sat.')).toEqual(['the', 'cat', 'sat', '.']);
    expect(tokens('(The CAT, $)')).toEqual(['(', 'the', 'cat', ',', '$', ')']);
  });

  it('keeps joined words the vocabulary has and splits the others at their joiners', () => {
    expect(tokens('a well-known foo-bar')).toEqual([unknown('a'), 'well-known', 'foo', 'bar']);
    expect(tokens('e-mail me@example.com')).toEqual(['e-mail', 'me', 'example', 'com']);
    expect(tokens('the end.Next')).toEqual(['the', 'end', 'next']);
    expect(tokens('foo-')).toEqual(['foo', unknown('-')]);
  });

  it('turns English clitics into words', () => {
    expect(tokens("Don't stop; we're here, it's John's")).toEqual([
      'do',
      'not',
      'stop',
      ';',
      'we',
      'are',
      'here',
      ',',
      'it',
      'john',
    ]);
    expect(tokens("can't won't I'm she'd they've you'll")).toEqual([
      'ca',
      'not',
      'wo',
      'not',
      'i',
      'am',
      'she',
      'would',
      'they',
      'have',
      'you',
      'will',
    ]);
    expect(tokens('don’t')).toEqual(['do', 'not']);
    expect(tokens("O'Neill")).toEqual(['o', 'neill']);
  });

  it('drops accents and keeps the typographic symbols the vocabulary has', () => {
    expect(tokens('CAFÉ “quoted”')).toEqual(['cafe', '“', 'quoted', '”']);
  });

  it('reports numbers, unknown words and emoji as unknown tokens', () => {
    expect(tokens('MP3 2024 10:30 🙂')).toEqual([
      'mp3',
      unknown('2024'),
      unknown('10'),
      unknown('30'),
      unknown('🙂'),
    ]);
    expect(tokens('zyzzyva')).toEqual([unknown('zyzzyva')]);
  });

  it('finds no tokens in empty or white-space text', () => {
    expect(tokens('')).toEqual([]);
    expect(tokens(' \n\t\u00a0\u2003')).toEqual([]);
  });
});

describe('Vocabulary', () => {
  it('finds every word at its row and nothing else', () => {
    for (const [row, word] of WORDS.entries()) expect(vocabulary.find(word)).toBe(row);
    expect(vocabulary.find('dog')).toBe(-1);
    expect(vocabulary.find('')).toBe(-1);
    expect(vocabulary.size).toBe(WORDS.length);
  });

  it('keeps the first row of a repeated word', () => {
    expect(Vocabulary.build(['a', 'b', 'a']).find('a')).toBe(0);
  });
});
