import { describe, expect, it } from 'vitest';
import { WordPieceTokenizer } from '../../../src/embedders/onnx/wordpiece-tokenizer.js';
import { ModelError } from '../../../src/errors.js';
import { TINY_VOCABULARY, tinyTokenizerJson } from '../../support/tiny-model.js';

const bert = WordPieceTokenizer.fromJson(tinyTokenizerJson(), 'tiny/tokenizer.json');

/** The tokens (by vocabulary) of a text, to read expectations as words rather than ids. */
function tokens(tokenizer: WordPieceTokenizer, text: string, maxTokens = 64): string[] {
  return tokenizer.encode(text, maxTokens).ids.map((id) => TINY_VOCABULARY[id]!);
}

describe('WordPieceTokenizer (tokenizer.json of a BERT export)', () => {
  it('lower-cases, splits punctuation off and wraps the text in [CLS] … [SEP]', () => {
    const encoding = bert.encode('The cat sat on the mat.', 64);
    expect(encoding.ids).toEqual([2, 4, 5, 6, 7, 4, 8, 18, 3]);
    expect(encoding.typeIds).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('splits words into the longest vocabulary pieces with ## continuations', () => {
    expect(tokens(bert, 'Playing cats!')).toEqual(['[CLS]', 'play', '##ing', 'cat', '##s', '!', '[SEP]']);
    expect(tokens(bert, 'unknown')).toEqual(['[CLS]', 'un', '##know', '##n', '[SEP]']);
  });

  it('turns a word with any piece outside the vocabulary into one [UNK]', () => {
    expect(tokens(bert, 'zebra catz dog')).toEqual(['[CLS]', '[UNK]', '[UNK]', 'dog', '[SEP]']);
  });

  it('strips accents when it lower-cases (strip_accents unset) and drops control characters', () => {
    expect(tokens(bert, 'CAFÉ')).toEqual(['[CLS]', 'caf', '##e', '[SEP]']);
    expect(tokens(bert, 'hello\u0000\u200b\tworld')).toEqual(['[CLS]', 'hello', 'world', '[SEP]']);
  });

  it('puts CJK characters apart as words of their own', () => {
    expect(tokens(bert, '猫cat')).toEqual(['[CLS]', '[UNK]', 'cat', '[SEP]']);
  });

  it('follows the normalizer settings of the file', () => {
    const cased = WordPieceTokenizer.fromJson(
      tinyTokenizerJson({ normalizer: { type: 'BertNormalizer', lowercase: false } }),
      'cased',
    );
    expect(tokens(cased, 'The cat')).toEqual(['[CLS]', '[UNK]', 'cat', '[SEP]']);
    const keepAccents = WordPieceTokenizer.fromJson(
      tinyTokenizerJson({ normalizer: { type: 'BertNormalizer', lowercase: true, strip_accents: false } }),
      'accents',
    );
    expect(tokens(keepAccents, 'Café')).toEqual(['[CLS]', '[UNK]', '[SEP]']);
    const sequence = WordPieceTokenizer.fromJson(
      tinyTokenizerJson({
        normalizer: {
          type: 'Sequence',
          normalizers: [{ type: 'NFD' }, { type: 'Lowercase' }, { type: 'StripAccents' }],
        },
      }),
      'sequence',
    );
    expect(tokens(sequence, 'Café')).toEqual(['[CLS]', 'caf', '##e', '[SEP]']);
  });

  it('matches added tokens verbatim in the text', () => {
    expect(tokens(bert, 'the [SEP] cat')).toEqual(['[CLS]', 'the', '[SEP]', 'cat', '[SEP]']);
  });

  it('cuts long texts so that the special tokens still fit in maxTokens', () => {
    expect(tokens(bert, 'the cat sat on the mat', 4)).toEqual(['[CLS]', 'the', 'cat', '[SEP]']);
    expect(bert.specialTokenCount).toBe(2);
    expect(bert.padId).toBe(0);
  });

  it('refuses tokenizers that are not WordPiece, naming their model', () => {
    const bpe = tinyTokenizerJson({ tokenizerModel: { type: 'BPE', vocab: {}, merges: [] } });
    expect(() => WordPieceTokenizer.fromJson(bpe, 'x/tokenizer.json')).toThrow(ModelError);
    expect(() => WordPieceTokenizer.fromJson(bpe, 'x/tokenizer.json')).toThrow(/x\/tokenizer.json.*"BPE"/);
    const oddNormalizer = tinyTokenizerJson({ normalizer: { type: 'Precompiled' } });
    expect(() => WordPieceTokenizer.fromJson(oddNormalizer, 'y')).toThrow(/normalizer type "Precompiled"/);
  });
});
