import { ModelError } from '../../errors.js';

/** Splits normalized text into words, as a `tokenizer.json` pre-tokenizer says. */
export type PreTokenizer = (text: string) => string[];

type Json = Record<string, unknown>;

const WHITESPACE_RUNS = /\p{White_Space}+/u;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
const UNICODE_PUNCTUATION = /\p{P}/u;
// The `\w+|[^\w\s]+` of the Rust regex crate, whose `\w` is Unicode-aware.
const WORD_OR_SYMBOLS =
  /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]+|[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}\p{White_Space}]+/gu;

function isPunctuation(char: string): boolean {
  return ASCII_PUNCTUATION.test(char) || UNICODE_PUNCTUATION.test(char);
}

/** Keeps each punctuation character as a word of its own, between the runs of other characters. */
function isolatePunctuation(text: string): string[] {
  const words: string[] = [];
  let word = '';
  for (const char of text) {
    if (isPunctuation(char)) {
      if (word) words.push(word);
      words.push(char);
      word = '';
    } else {
      word += char;
    }
  }
  if (word) words.push(word);
  return words;
}

function splitWhitespace(text: string): string[] {
  return text.split(WHITESPACE_RUNS).filter((word) => word !== '');
}

function splitDigits(text: string, individually: boolean): string[] {
  return text.match(individually ? /\p{Nd}|[^\p{Nd}]+/gu : /\p{Nd}+|[^\p{Nd}]+/gu) ?? [];
}

/**
 * Builds the pre-tokenizer a Hugging Face `tokenizer.json` describes (`null` → the whole text is one
 * word). Supports `BertPreTokenizer`, `Whitespace`, `WhitespaceSplit`, `Punctuation` (isolated),
 * `Digits` and `Sequence`.
 * @throws {ModelError} for any other type or behaviour, naming it.
 */
export function preTokenizer(config: unknown, source: string): PreTokenizer {
  if (config === null || config === undefined) return (text) => (text ? [text] : []);
  const spec = config as Json;
  switch (spec.type) {
    case 'BertPreTokenizer':
      return (text) => splitWhitespace(text).flatMap(isolatePunctuation);
    case 'WhitespaceSplit':
      return splitWhitespace;
    case 'Whitespace':
      return (text) => text.match(WORD_OR_SYMBOLS) ?? [];
    case 'Punctuation':
      if (spec.behavior !== undefined && spec.behavior !== 'Isolated') {
        throw new ModelError(
          `${source}: Punctuation pre-tokenizer behaviour ${spec.behavior} is not supported`,
        );
      }
      return isolatePunctuation;
    case 'Digits': {
      const individually = spec.individual_digits === true;
      return (text) => splitDigits(text, individually);
    }
    case 'Sequence': {
      const steps = ((spec.pretokenizers as unknown[]) ?? []).map((step) => preTokenizer(step, source));
      return (text) => steps.reduce<string[]>((words, step) => words.flatMap(step), text ? [text] : []);
    }
    default:
      throw new ModelError(`${source}: pre-tokenizer type ${JSON.stringify(spec.type)} is not supported`);
  }
}
