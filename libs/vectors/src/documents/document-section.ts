/** A run of a document's text under one heading path: chunks never span two sections. */
export interface DocumentSection {
  /** The heading path (`Install › From npm`), empty before the first heading. */
  heading: string;
  /** The text, paragraphs separated by blank lines. */
  text: string;
}

/** Separator of the headings in a heading path. */
export const HEADING_SEPARATOR = ' › ';

/**
 * Collects sections: text is added under the current heading path, and a new heading closes
 * the section (sections without text are left out). Heading levels nest: a heading of level `n`
 * replaces the one of level `n` and those below it.
 */
export class SectionCollector {
  readonly sections: DocumentSection[] = [];
  #headings: string[] = [];
  #text: string[] = [];

  /** Adds text (a line, or a paragraph break as an empty string) to the current section. */
  add(text: string): void {
    this.#text.push(text);
  }

  /** Starts a section under a heading of `level` (1 is the top) titled `title`. */
  heading(level: number, title: string): void {
    this.#close();
    this.#headings = this.#headings.slice(0, level - 1);
    while (this.#headings.length < level - 1) this.#headings.push('');
    this.#headings.push(title.trim());
  }

  /** Closes the last section and returns them all. */
  finish(): DocumentSection[] {
    this.#close();
    return this.sections;
  }

  #close(): void {
    const text = this.#text.join('\n');
    this.#text = [];
    if (text.trim() === '') return;
    this.sections.push({
      heading: this.#headings.filter((title) => title !== '').join(HEADING_SEPARATOR),
      text,
    });
  }
}
