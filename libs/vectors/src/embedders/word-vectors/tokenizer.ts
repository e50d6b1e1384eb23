import { hashSpan, type Vocabulary } from './vocabulary.js';

/** Receives the tokens of a text, in order. */
export interface TokenSink {
  /** A token found in the vocabulary, as its row. */
  known(row: number): void;
  /** A token not in the vocabulary, as its `hashSpan`. */
  unknown(hash: number): void;
}

const WORD = 1;
const SPACE = 2;
const SYMBOL = 3;
const APOSTROPHE = 0x27;
const RIGHT_SINGLE_QUOTE = 0x2019;

// Character classes by UTF-16 code unit; 0 = not yet classified (filled on first sight).
const classes = new Uint8Array(0x10000);
for (let code = 0; code < 0x80; code++) {
  const char = String.fromCharCode(code);
  classes[code] = /[a-z0-9]/i.test(char) ? WORD : code <= 0x20 || code === 0x7f ? SPACE : SYMBOL;
}

function classOf(code: number): number {
  const known = classes[code]!;
  if (known !== 0) return known;
  const char = String.fromCharCode(code);
  const found =
    code >= 0xd800 && code <= 0xdfff
      ? SYMBOL
      : /[\p{L}\p{N}]/u.test(char)
        ? WORD
        : /[\s\p{Cc}\p{Cf}]/u.test(char)
          ? SPACE
          : SYMBOL;
  classes[code] = found;
  return found;
}

/** Characters that join two word characters into one token (`well-known`, `don't`, `mp3.org`, `and/or`). */
function isJoiner(code: number): boolean {
  switch (code) {
    case 0x2d: // -
    case 0x2e: // .
    case 0x2c: // ,
    case APOSTROPHE:
    case RIGHT_SINGLE_QUOTE:
    case 0x2f: // /
    case 0x3a: // :
    case 0x5f: // _
    case 0x40: // @
    case 0x26: // &
      return true;
    default:
      return false;
  }
}

function isApostrophe(code: number): boolean {
  return code === APOSTROPHE || code === RIGHT_SINGLE_QUOTE;
}

/**
 * Lower case, and for text beyond ASCII, accents dropped (canonical decomposition, combining
 * marks removed): the vocabulary is lower-case ASCII words plus a few dozen symbols (`“`, `€`, `…`).
 */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  return /[^\x00-\x7f]/.test(lower) ? lower.normalize('NFD').replace(/\p{M}/gu, '') : lower;
}

/**
 * Splits text into the tokens of a GloVe-style vocabulary (the wink vectors': lower-case words,
 * hyphenated compounds such as `well-known`, letters with digits such as `mp3`, and single
 * punctuation characters; no bare numbers, no `'s`):
 * - a word is a run of letters and digits, joined by `- . , ' ’ / : _ @ &` between two of them;
 *   a joined word the vocabulary lacks is split at its joiners (`foo-bar` → `foo`, `bar`);
 * - English clitics become words: `don't` → `do` `not`, `can't` → `ca` `not` (GloVe's tokenisation
 *   of "can't"), `we're` → `we` `are`, `'ve` → `have`, `'ll` → `will`, `'m` → `am`, `'d` → `would`;
 *   `'s` is dropped (possessive or "is");
 * - every other character that is not white space is a token of its own (`,` `(` `$` `“`).
 * Tokens go to `sink` in order; nothing is allocated per token.
 */
export class Tokenizer {
  readonly #vocabulary: Vocabulary;
  readonly #not: number;
  readonly #are: number;
  readonly #have: number;
  readonly #will: number;
  readonly #am: number;
  readonly #would: number;

  constructor(vocabulary: Vocabulary) {
    this.#vocabulary = vocabulary;
    this.#not = vocabulary.find('not');
    this.#are = vocabulary.find('are');
    this.#have = vocabulary.find('have');
    this.#will = vocabulary.find('will');
    this.#am = vocabulary.find('am');
    this.#would = vocabulary.find('would');
  }

  /** Sends the tokens of `text` (already `foldText`ed) to `sink`. */
  scan(text: string, sink: TokenSink): void {
    const end = text.length;
    let i = 0;
    while (i < end) {
      const kind = classOf(text.charCodeAt(i));
      if (kind === SPACE) {
        i++;
      } else if (kind === WORD) {
        let j = i + 1;
        let joined = false;
        while (j < end) {
          const code = text.charCodeAt(j);
          if (classOf(code) === WORD) {
            j++;
          } else if (isJoiner(code) && j + 1 < end && classOf(text.charCodeAt(j + 1)) === WORD) {
            joined = true;
            j += 2;
          } else {
            break;
          }
        }
        this.#word(text, i, j, joined, sink);
        i = j;
      } else {
        const code = text.charCodeAt(i);
        const width =
          code >= 0xd800 && code <= 0xdbff && i + 1 < end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
            ? 2
            : 1;
        this.#lookup(text, i, i + width, sink);
        i += width;
      }
    }
  }

  #lookup(text: string, start: number, end: number, sink: TokenSink): void {
    const hash = hashSpan(text, start, end);
    const row = this.#vocabulary.findHashed(text, start, end, hash);
    if (row >= 0) sink.known(row);
    else sink.unknown(hash);
  }

  #word(text: string, start: number, end: number, joined: boolean, sink: TokenSink): void {
    if (!joined) {
      this.#lookup(text, start, end, sink);
      return;
    }
    const hash = hashSpan(text, start, end);
    const row = this.#vocabulary.findHashed(text, start, end, hash);
    if (row >= 0) {
      sink.known(row);
      return;
    }
    let part = start;
    while (part < end) {
      let stop = part + 1;
      while (stop < end && classOf(text.charCodeAt(stop)) === WORD) stop++;
      if (stop < end && isApostrophe(text.charCodeAt(stop))) {
        let next = stop + 2;
        while (next < end && classOf(text.charCodeAt(next)) === WORD) next++;
        if (this.#clitic(text, part, stop, next, sink)) {
          part = next + 1;
          continue;
        }
      }
      this.#lookup(text, part, stop, sink);
      part = stop + 1;
    }
  }

  /**
   * Handles `text[stem..apostrophe)` + `'` + `text[apostrophe + 1..end)` when the part after the
   * apostrophe is an English clitic; false (nothing sent) otherwise.
   */
  #clitic(text: string, stem: number, apostrophe: number, end: number, sink: TokenSink): boolean {
    const first = text.charCodeAt(apostrophe + 1);
    const length = end - apostrophe - 1;
    let expansion = -2;
    if (length === 1) {
      if (
        first === 0x74 /* t */ &&
        apostrophe - stem > 1 &&
        text.charCodeAt(apostrophe - 1) === 0x6e /* n */
      ) {
        this.#lookup(text, stem, apostrophe - 1, sink);
        this.#send(this.#not, sink);
        return true;
      }
      if (first === 0x73 /* s */) expansion = -1;
      else if (first === 0x6d /* m */) expansion = this.#am;
      else if (first === 0x64 /* d */) expansion = this.#would;
    } else if (length === 2) {
      const second = text.charCodeAt(apostrophe + 2);
      if (first === 0x72 /* r */ && second === 0x65 /* e */) expansion = this.#are;
      else if (first === 0x76 /* v */ && second === 0x65 /* e */) expansion = this.#have;
      else if (first === 0x6c /* l */ && second === 0x6c /* l */) expansion = this.#will;
    }
    if (expansion === -2) return false;
    this.#lookup(text, stem, apostrophe, sink);
    this.#send(expansion, sink);
    return true;
  }

  #send(row: number, sink: TokenSink): void {
    if (row >= 0) sink.known(row);
  }
}
