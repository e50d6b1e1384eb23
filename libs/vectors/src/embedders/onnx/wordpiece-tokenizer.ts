import { ModelError } from '../../errors.js';
import { type PreTokenizer, preTokenizer } from './pre-tokenizer.js';
import { type TextNormalizer, textNormalizer } from './text-normalizer.js';

/** The token ids of one text and their token-type ids, special tokens included. */
export interface Encoding {
  ids: number[];
  typeIds: number[];
}

/** A token the post-processor puts around the text (e.g. `[CLS]`, `[SEP]`). */
interface SpecialToken {
  id: number;
  typeId: number;
}

/** Where the post-processor puts special tokens around a single text. */
interface Template {
  before: SpecialToken[];
  after: SpecialToken[];
  textTypeId: number;
}

type Json = Record<string, unknown>;

/**
 * A WordPiece tokenizer (BERT, MiniLM, MPNet…) read from a Hugging Face `tokenizer.json`: added
 * tokens matched verbatim, then the file's normalizer and pre-tokenizer, greedy longest-match
 * WordPiece with its continuation prefix (`##`), and the post-processor's special tokens.
 */
export class WordPieceTokenizer {
  /** The id that fills the positions after a shorter text in a batch. */
  readonly padId: number;
  /** The token-type id of padding positions. */
  readonly padTypeId: number;
  /** How many special tokens every encoding carries (they count towards `maxTokens`). */
  readonly specialTokenCount: number;

  private constructor(
    private readonly vocabulary: ReadonlyMap<string, number>,
    private readonly unknownId: number,
    private readonly continuationPrefix: string,
    private readonly maxCharsPerWord: number,
    private readonly addedTokens: ReadonlyMap<string, number>,
    private readonly addedTokenPattern: RegExp | undefined,
    private readonly normalize: TextNormalizer,
    private readonly split: PreTokenizer,
    private readonly template: Template,
    padding: { id: number; typeId: number },
  ) {
    this.padId = padding.id;
    this.padTypeId = padding.typeId;
    this.specialTokenCount = template.before.length + template.after.length;
  }

  /**
   * Reads a parsed `tokenizer.json`; `source` names the file in errors.
   * @throws {ModelError} when the tokenizer is not WordPiece or uses parts this reader does not know.
   */
  static fromJson(json: unknown, source: string): WordPieceTokenizer {
    const file = (json ?? {}) as Json;
    const model = (file.model ?? {}) as Json;
    if (model.type !== 'WordPiece') {
      throw new ModelError(
        `${source}: tokenizer model ${JSON.stringify(model.type)} is not supported (only WordPiece)`,
      );
    }
    if (typeof model.vocab !== 'object' || model.vocab === null) {
      throw new ModelError(`${source}: the WordPiece model has no vocab`);
    }
    const vocabulary = new Map(Object.entries(model.vocab as Record<string, number>));
    const unknownToken = typeof model.unk_token === 'string' ? model.unk_token : '[UNK]';
    const unknownId = vocabulary.get(unknownToken);
    if (unknownId === undefined) {
      throw new ModelError(`${source}: the unknown token ${unknownToken} is not in the vocab`);
    }
    const addedTokens = new Map<string, number>();
    for (const added of (file.added_tokens as Json[] | undefined) ?? []) {
      if (typeof added.content === 'string' && typeof added.id === 'number') {
        addedTokens.set(added.content, added.id);
      }
    }
    const padding = (file.padding ?? {}) as Json;
    const lookup = (token: string) => vocabulary.get(token) ?? addedTokens.get(token);
    return new WordPieceTokenizer(
      vocabulary,
      unknownId,
      typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : '##',
      typeof model.max_input_chars_per_word === 'number' ? model.max_input_chars_per_word : 100,
      addedTokens,
      addedTokenPattern([...addedTokens.keys()]),
      textNormalizer(file.normalizer, source),
      preTokenizer(file.pre_tokenizer, source),
      template(file.post_processor, lookup, source),
      {
        id: typeof padding.pad_id === 'number' ? padding.pad_id : (lookup('[PAD]') ?? 0),
        typeId: typeof padding.pad_type_id === 'number' ? padding.pad_type_id : 0,
      },
    );
  }

  /**
   * Encodes one text: special tokens around at most `maxTokens - specialTokenCount` text tokens
   * (longer texts are cut at the end; only as much text as fits is tokenized).
   */
  encode(text: string, maxTokens: number): Encoding {
    const budget = maxTokens - this.specialTokenCount;
    const textIds: number[] = [];
    for (const id of this.textTokenIds(text)) {
      if (textIds.length >= budget) break;
      textIds.push(id);
    }
    const { before, after, textTypeId } = this.template;
    return {
      ids: [...before.map((token) => token.id), ...textIds, ...after.map((token) => token.id)],
      typeIds: [
        ...before.map((token) => token.typeId),
        ...textIds.map(() => textTypeId),
        ...after.map((token) => token.typeId),
      ],
    };
  }

  private *textTokenIds(text: string): Generator<number> {
    const segments = this.addedTokenPattern ? text.split(this.addedTokenPattern) : [text];
    // split() with a capturing group alternates: text, added token, text, added token, …
    for (const [index, segment] of segments.entries()) {
      if (index % 2 === 1) {
        yield this.addedTokens.get(segment)!;
        continue;
      }
      for (const word of this.split(this.normalize(segment))) yield* this.wordPieces(word);
    }
  }

  private wordPieces(word: string): number[] {
    const chars = Array.from(word);
    if (chars.length > this.maxCharsPerWord) return [this.unknownId];
    const pieces: number[] = [];
    for (let start = 0; start < chars.length; ) {
      let end = chars.length;
      let found: number | undefined;
      for (; end > start; end--) {
        const piece = chars.slice(start, end).join('');
        found = this.vocabulary.get(start > 0 ? this.continuationPrefix + piece : piece);
        if (found !== undefined) break;
      }
      if (found === undefined) return [this.unknownId];
      pieces.push(found);
      start = end;
    }
    return pieces;
  }
}

/** One alternation of the added tokens, longest first, as a capturing group (for `split`). */
function addedTokenPattern(tokens: string[]): RegExp | undefined {
  if (tokens.length === 0) return undefined;
  const escaped = [...tokens]
    .sort((a, b) => b.length - a.length)
    .map((token) => token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(${escaped.join('|')})`, 'u');
}

/** The special tokens a `post_processor` puts around a single text (none when there is none). */
function template(config: unknown, lookup: (token: string) => number | undefined, source: string): Template {
  const none: Template = { before: [], after: [], textTypeId: 0 };
  if (config === null || config === undefined) return none;
  const spec = config as Json;
  const missing = (token: string): never => {
    throw new ModelError(`${source}: special token ${token} of the post-processor has no id`);
  };
  const special = (entry: unknown): SpecialToken => {
    const [token, id] = entry as [string, number];
    return { id: typeof id === 'number' ? id : (lookup(token) ?? missing(token)), typeId: 0 };
  };
  switch (spec.type) {
    case 'BertProcessing':
    case 'RobertaProcessing':
      return { before: [special(spec.cls)], after: [special(spec.sep)], textTypeId: 0 };
    case 'TemplateProcessing': {
      const specialTokens = (spec.special_tokens ?? {}) as Record<string, { ids?: number[] }>;
      const result: Template = { before: [], after: [], textTypeId: 0 };
      let seenText = false;
      for (const item of (spec.single as Json[] | undefined) ?? []) {
        if (item.Sequence) {
          seenText = true;
          result.textTypeId = ((item.Sequence as Json).type_id as number | undefined) ?? 0;
          continue;
        }
        const piece = (item.SpecialToken ?? {}) as Json;
        const name = String(piece.id);
        const ids = specialTokens[name]?.ids ?? [lookup(name) ?? missing(name)];
        const tokens = ids.map((id) => ({ id, typeId: (piece.type_id as number | undefined) ?? 0 }));
        (seenText ? result.after : result.before).push(...tokens);
      }
      return result;
    }
    case 'ByteLevel':
      return none;
    case 'Sequence': {
      const parts = ((spec.processors as unknown[]) ?? []).map((part) => template(part, lookup, source));
      return parts.reduce(
        (whole, part) => ({
          before: [...part.before, ...whole.before],
          after: [...whole.after, ...part.after],
          textTypeId: part.textTypeId || whole.textTypeId,
        }),
        none,
      );
    }
    default:
      throw new ModelError(`${source}: post-processor type ${JSON.stringify(spec.type)} is not supported`);
  }
}
