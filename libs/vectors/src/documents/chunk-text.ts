import { InvalidArgumentError } from '../errors.js';

/** How documents are cut into chunks. */
export interface ChunkingOptions {
  /** The longest chunk, in UTF-16 code units (JavaScript string length), overlap included (default 1200). */
  maxChars?: number;
  /** At most this many characters of whole sentences repeated from the previous chunk of the section (default 150). */
  overlapChars?: number;
}

/** Chunking options with every value set and checked. */
export interface ChunkLimits {
  maxChars: number;
  overlapChars: number;
}

/** Default longest chunk. */
export const DEFAULT_MAX_CHARS = 1200;
/** Default overlap. */
export const DEFAULT_OVERLAP_CHARS = 150;

/** The chunking options with their defaults; `InvalidArgumentError` when out of their domain. */
export function chunkLimits(options: ChunkingOptions = {}): ChunkLimits {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const overlapChars = options.overlapChars ?? DEFAULT_OVERLAP_CHARS;
  if (!Number.isInteger(maxChars) || maxChars < 2) {
    throw new InvalidArgumentError(`maxChars must be an integer ≥ 2, not ${maxChars}`);
  }
  if (!Number.isInteger(overlapChars) || overlapChars < 0 || overlapChars >= maxChars) {
    throw new InvalidArgumentError(`overlapChars must be an integer in [0, maxChars), not ${overlapChars}`);
  }
  return { maxChars, overlapChars };
}

/** One chunk of a section: its text, whose first `overlap` characters repeat the end of the previous chunk. */
export interface SectionChunk {
  text: string;
  overlap: number;
}

/** A run of text that is never cut, with the whitespace that separates it from the piece before. */
interface Piece {
  text: string;
  separator: string;
  /** A whole sentence (may be repeated as overlap); false for the pieces of a hard-split sentence. */
  sentence: boolean;
}

const PARAGRAPH_BREAK = /\n\s*\n/;
const PARAGRAPH_SEPARATOR = '\n\n';
const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });

/** A paragraph (trimmed) as sentence pieces; sentences longer than `maxChars` are hard-split. */
function paragraphPieces(paragraph: string, maxChars: number): Piece[] {
  const pieces: Piece[] = [];
  let pending = '';
  for (const { segment } of sentences.segment(paragraph)) {
    const text = segment.trim();
    if (text === '') {
      pending += segment;
      continue;
    }
    const separator = pending + segment.slice(0, segment.length - segment.trimStart().length);
    pending = segment.slice(segment.trimEnd().length);
    if (text.length <= maxChars) pieces.push({ text, separator, sentence: true });
    else pieces.push(...hardSplit(text, separator, maxChars));
  }
  if (pieces.length > 0) pieces[0]!.separator = PARAGRAPH_SEPARATOR;
  return pieces;
}

/** A sentence longer than `maxChars` in pieces of at most `maxChars`, cut at the last whitespace that fits (else anywhere but inside a surrogate pair). */
function hardSplit(sentence: string, separator: string, maxChars: number): Piece[] {
  const pieces: Piece[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars + 1);
    const space = window.search(/\s\S*$/);
    let cut: number;
    let next: number;
    if (space > 0) {
      cut = window.slice(0, space).trimEnd().length;
      next = space + (/^\s+/.exec(rest.slice(space))?.[0].length ?? 0);
    } else {
      cut = /[\uD800-\uDBFF]/.test(rest[maxChars - 1]!) ? maxChars - 1 : maxChars;
      next = cut;
    }
    pieces.push({ text: rest.slice(0, cut), separator, sentence: false });
    separator = rest.slice(cut, next);
    rest = rest.slice(next);
  }
  pieces.push({ text: rest, separator, sentence: false });
  return pieces;
}

function joined(pieces: readonly Piece[]): string {
  return pieces.map((piece, i) => (i === 0 ? piece.text : piece.separator + piece.text)).join('');
}

function joinedLength(pieces: readonly Piece[], next?: Piece): number {
  let length = 0;
  pieces.forEach((piece, i) => {
    length += (i === 0 ? 0 : piece.separator.length) + piece.text.length;
  });
  if (next) length += (pieces.length === 0 ? 0 : next.separator.length) + next.text.length;
  return length;
}

/**
 * Cuts the text of one section into chunks of at most `maxChars`: whole paragraphs (split at
 * blank lines) while they fit, else whole sentences (`Intl.Segmenter`), and only a sentence
 * longer than `maxChars` is cut, at whitespace where it can. Every chunk after the first starts
 * with the trailing whole sentences of the previous one, up to `overlapChars` (fewer when the
 * next paragraph or sentence would not fit with them). Whitespace between paragraphs becomes
 * one blank line; all other text is kept as written, in order.
 */
export function chunkSection(text: string, limits: ChunkLimits): SectionChunk[] {
  const { maxChars, overlapChars } = limits;
  const chunks: SectionChunk[] = [];
  let current: Piece[] = [];
  let overlap = 0;
  const flush = (): void => {
    if (current.length === overlap) return;
    chunks.push({ text: joined(current), overlap: joined(current.slice(0, overlap)).length });
    const repeated: Piece[] = [];
    for (let i = current.length - 1; i >= 0 && current[i]!.sentence; i--) {
      if (joinedLength([current[i]!, ...repeated]) > overlapChars) break;
      repeated.unshift(current[i]!);
    }
    current = repeated;
    overlap = repeated.length;
  };
  /** Drops repeated pieces until `length(current + more)` fits. */
  const makeRoom = (more: (pieces: Piece[]) => number): void => {
    while (overlap > 0 && more(current) > maxChars) {
      current = current.slice(1);
      overlap--;
    }
  };
  for (const paragraph of text.split(PARAGRAPH_BREAK)) {
    const pieces = paragraphPieces(paragraph.trim(), maxChars);
    if (pieces.length === 0) continue;
    const whole = joinedLength(pieces);
    const withParagraph = (before: Piece[]): number =>
      joinedLength(before) + (before.length === 0 ? 0 : PARAGRAPH_SEPARATOR.length) + whole;
    if (current.length > overlap && withParagraph(current) > maxChars) flush();
    if (whole <= maxChars) makeRoom(withParagraph);
    for (const piece of pieces) {
      if (joinedLength(current, piece) > maxChars) {
        flush();
        makeRoom((before) => joinedLength(before, piece));
      }
      current.push(piece);
    }
  }
  flush();
  return chunks;
}
