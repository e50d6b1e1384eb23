/** A tag found by `XmlTagScanner`. */
export interface XmlTag {
  /** The element's name, e.g. `spectrum`. */
  name: string;
  /** `start` for `<a …>`, `end` for `</a>`, `empty` for `<a …/>`. */
  kind: 'start' | 'end' | 'empty';
  /** Absolute byte offset of the `<`. */
  start: number;
  /** Absolute byte offset just after the `>`. */
  end: number;
  /** The tag's text, `<` to `>` (UTF-8). */
  text: string;
  /** The text between the previous tag and this one, when it is short (else undefined). */
  textBefore: string | undefined;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
/** Text between tags kept for `textBefore` (element values such as offsets are short). */
const SHORT_TEXT = 256;

function isNameEnd(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === SLASH || byte === GT;
}

/**
 * Finds the tags of chosen elements in an XML byte stream, chunk by chunk, with bounded memory
 * (long text such as base64 arrays is skipped with `indexOf`, never kept). Comments, processing
 * instructions and declarations are passed over. Not a validating parser: it is the light index
 * pass's way to find elements' byte offsets; single elements are parsed with fast-xml-parser.
 */
export class XmlTagScanner {
  #buffer: Buffer = Buffer.alloc(0);
  /** Absolute offset of `#buffer[0]`. */
  #base: number;
  #lastTagEnd: number;

  constructor(
    /** The element names to report. */
    private readonly names: ReadonlySet<string>,
    /** Absolute offset of the first byte pushed. */
    start = 0,
  ) {
    this.#base = start;
    this.#lastTagEnd = start;
  }

  /** Absolute offset of the first byte not yet consumed (the start of an incomplete tag, if any). */
  get pendingOffset(): number {
    return this.#base + this.#buffer.length;
  }

  /** The tags of the chosen elements completed by this chunk, in order. */
  *push(chunk: Uint8Array): Iterable<XmlTag> {
    const buffer =
      this.#buffer.length === 0
        ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)
        : Buffer.concat([this.#buffer, chunk]);
    let position = 0;
    let pending = buffer.length;
    while (position < buffer.length) {
      const open = buffer.indexOf(LT, position);
      if (open < 0) break;
      const close = this.#tagEnd(buffer, open);
      if (close < 0) {
        pending = open;
        break;
      }
      position = close + 1;
      const first = buffer[open + 1];
      if (first === 0x21 || first === 0x3f) {
        this.#lastTagEnd = this.#base + position;
        continue;
      }
      const nameStart = first === SLASH ? open + 2 : open + 1;
      let nameEnd = nameStart;
      while (nameEnd < close && !isNameEnd(buffer[nameEnd]!)) nameEnd++;
      const name = buffer.toString('latin1', nameStart, nameEnd);
      if (this.names.has(name)) {
        const textStart = this.#lastTagEnd - this.#base;
        yield {
          name,
          kind: first === SLASH ? 'end' : buffer[close - 1] === SLASH ? 'empty' : 'start',
          start: this.#base + open,
          end: this.#base + position,
          text: buffer.toString('utf8', open, position),
          textBefore:
            textStart >= 0 && open - textStart <= SHORT_TEXT
              ? buffer.toString('latin1', textStart, open)
              : undefined,
        };
      }
      this.#lastTagEnd = this.#base + position;
    }
    const keep = Math.min(pending, Math.max(this.#lastTagEnd - this.#base, pending - SHORT_TEXT));
    this.#buffer = Buffer.from(buffer.subarray(keep));
    this.#base += keep;
  }

  /** Where a tag opened at `open` ends (`>`), or -1 when it is not complete in the buffer. */
  #tagEnd(buffer: Buffer, open: number): number {
    if (buffer[open + 1] === 0x21 && buffer.toString('latin1', open, open + 4) === '<!--') {
      const end = buffer.indexOf('-->', open + 4, 'latin1');
      return end < 0 ? -1 : end + 2;
    }
    return buffer.indexOf(GT, open);
  }
}

/** The value of attribute `name` in a tag's text (XML entities decoded), or undefined. */
export function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2]!);
}

/** Decodes the five predefined XML entities and character references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_, entity: string) => {
    if (entity[0] === '#') {
      return String.fromCodePoint(
        entity[1] === 'x' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1)),
      );
    }
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[entity]!;
  });
}

/** Escapes text for an XML attribute value. */
export function escapeAttribute(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
