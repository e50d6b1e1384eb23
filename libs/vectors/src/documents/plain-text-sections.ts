import { type DocumentSection, SectionCollector } from './document-section.js';

/**
 * A heading line of plain text: at column 0, upper-case letters with digits, spaces and a little
 * punctuation, at least two letters and at most 60 characters — the section headers of a manual page rendered by `man`
 * (`NAME`, `SEE ALSO`, `EXIT STATUS`).
 */
const CAPS_HEADING = /^\p{Lu}[\p{Lu}\p{N} _&/,.()'-]*$/u;

function isCapsHeading(line: string): boolean {
  return line.length <= 60 && CAPS_HEADING.test(line) && (line.match(/\p{Lu}/gu)?.length ?? 0) >= 2;
}

/** Terminal bold/underline by overstriking (`X\bX`, `_\bX`) and ANSI SGR colour codes, as `man` may leave them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: backspace and escape are what terminal formatting is made of
const TERMINAL_FORMATTING = /[^\n]\x08|\x1b\[[0-9;]*m/g;

/** A word `man` hyphenated at a line end with U+2010 HYPHEN (`op‐\n       tions`). */
const HYPHENATED_LINE_END = /(\p{L})\u2010\n[ \t]*(\p{L})/gu;

/**
 * Text as `man` renders it, undone where that is cheap: terminal formatting dropped
 * (overstrikes, ANSI colours), words hyphenated at line ends joined again.
 */
export function withoutManRendering(text: string): string {
  return text.replace(TERMINAL_FORMATTING, '').replace(HYPHENATED_LINE_END, '$1$2');
}

/**
 * The sections of plain text: lines in capitals at column 0 are headings (one level), the rest
 * is text whose paragraphs are separated by blank lines.
 */
export function plainTextSections(text: string): DocumentSection[] {
  const collector = new SectionCollector();
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trimEnd();
    if (isCapsHeading(trimmed)) collector.heading(1, trimmed);
    else collector.add(line);
  }
  return collector.finish();
}
