import { ModelError } from '../../errors.js';

/** Rewrites text before it is split into words, as a `tokenizer.json` normalizer says. */
export type TextNormalizer = (text: string) => string;

type Json = Record<string, unknown>;

const CONTROL = /\p{C}/u;
const WHITESPACE = /\p{White_Space}/u;
const NONSPACING_MARKS = /\p{Mn}/gu;

/**
 * Builds the normalizer a Hugging Face `tokenizer.json` describes (`null` → identity). Supports
 * `BertNormalizer`, `Lowercase`, `StripAccents`, `NFC`/`NFD`/`NFKC`/`NFKD`, `Strip` and `Sequence`.
 * @throws {ModelError} for any other type, naming it.
 */
export function textNormalizer(config: unknown, source: string): TextNormalizer {
  if (config === null || config === undefined) return (text) => text;
  const spec = config as Json;
  switch (spec.type) {
    case 'BertNormalizer':
      return bertNormalizer(spec);
    case 'Lowercase':
      return lowercase;
    case 'StripAccents':
      return (text) => text.replace(NONSPACING_MARKS, '');
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD': {
      const form = spec.type;
      return (text) => text.normalize(form);
    }
    case 'Strip': {
      const left = spec.strip_left !== false;
      const right = spec.strip_right !== false;
      return (text) =>
        left && right ? text.trim() : left ? text.trimStart() : right ? text.trimEnd() : text;
    }
    case 'Sequence': {
      const steps = ((spec.normalizers as unknown[]) ?? []).map((step) => textNormalizer(step, source));
      return (text) => steps.reduce((current, step) => step(current), text);
    }
    default:
      throw new ModelError(`${source}: normalizer type ${JSON.stringify(spec.type)} is not supported`);
  }
}

/** Lower-cases code point by code point (as the Rust tokenizers do: no context-dependent final sigma). */
function lowercase(text: string): string {
  let out = '';
  for (const char of text) out += char.toLowerCase();
  return out;
}

function bertNormalizer(spec: Json): TextNormalizer {
  const cleanText = spec.clean_text !== false;
  const handleChineseChars = spec.handle_chinese_chars !== false;
  const lower = spec.lowercase !== false;
  // BERT's rule: accents are stripped when asked, or (unset) whenever text is lower-cased.
  const stripAccents = typeof spec.strip_accents === 'boolean' ? spec.strip_accents : lower;
  return (text) => {
    let out = text;
    if (cleanText) out = cleanControlsAndSpaces(out);
    if (handleChineseChars) out = spaceAroundChineseChars(out);
    if (stripAccents) out = out.normalize('NFD').replace(NONSPACING_MARKS, '');
    if (lower) out = lowercase(out);
    return out;
  };
}

/** Drops NUL, U+FFFD and control characters; turns every kind of whitespace into a plain space. */
function cleanControlsAndSpaces(text: string): string {
  let out = '';
  for (const char of text) {
    if (char === '\t' || char === '\n' || char === '\r') out += ' ';
    else if (char === '\0' || char === '\uFFFD' || CONTROL.test(char)) continue;
    else out += WHITESPACE.test(char) ? ' ' : char;
  }
  return out;
}

function isChineseChar(codePoint: number): boolean {
  return (
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x20000 && codePoint <= 0x2a6df) ||
    (codePoint >= 0x2a700 && codePoint <= 0x2b73f) ||
    (codePoint >= 0x2b740 && codePoint <= 0x2b81f) ||
    (codePoint >= 0x2b920 && codePoint <= 0x2ceaf) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0x2f800 && codePoint <= 0x2fa1f)
  );
}

function spaceAroundChineseChars(text: string): string {
  let out = '';
  for (const char of text) out += isChineseChar(char.codePointAt(0)!) ? ` ${char} ` : char;
  return out;
}
