import { type DocumentSection, SectionCollector } from './document-section.js';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:[ \t]*\S/;

/**
 * Link syntax reduced to what a reader sees: images to their alt text, inline and reference
 * links to their text, autolinks to their address.
 */
export function markdownInline(line: string): string {
  return line
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/!\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|ftp|mailto):[^>\s]+)>/g, '$1');
}

/** Lines after a YAML front matter block (`---` … `---` at the very start), or all of them. */
function withoutFrontMatter(lines: string[]): string[] {
  if (lines[0]?.trim() !== '---') return lines;
  const end = lines.findIndex((line, i) => i > 0 && (line.trim() === '---' || line.trim() === '...'));
  return end < 0 ? lines : lines.slice(end + 1);
}

/**
 * The sections of a Markdown document: ATX (`## Title`) and setext (underlined) headings make
 * the heading path; fenced code is kept as text (without its fence lines, nothing inside read as
 * a heading); link syntax is reduced to the link text; reference definitions and front matter are
 * left out.
 */
export function markdownSections(text: string): DocumentSection[] {
  const collector = new SectionCollector();
  let fence: string | undefined;
  /** The lines of the paragraph being read (a setext underline makes them a heading). */
  let paragraph: string[] = [];
  const endParagraph = (): void => {
    for (const line of paragraph) collector.add(line);
    paragraph = [];
  };
  for (const line of withoutFrontMatter(text.split(/\r?\n/))) {
    if (fence !== undefined) {
      const close = FENCE.exec(line);
      if (
        close &&
        close[1]![0] === fence[0] &&
        close[1]!.length >= fence.length &&
        line.trim() === close[1]
      ) {
        fence = undefined;
        collector.add('');
      } else collector.add(line);
      continue;
    }
    const open = FENCE.exec(line);
    if (open && !(open[1]![0] === '`' && line.slice(open[0].length).includes('`'))) {
      endParagraph();
      collector.add('');
      fence = open[1]!;
      continue;
    }
    const atx = ATX_HEADING.exec(line);
    if (atx) {
      endParagraph();
      collector.heading(atx[1]!.length, markdownInline(atx[2] ?? ''));
      continue;
    }
    const underline = SETEXT_UNDERLINE.exec(line);
    if (underline && paragraph.length > 0) {
      const title = paragraph.map((part) => part.trim()).join(' ');
      paragraph = [];
      collector.heading(underline[1]![0] === '=' ? 1 : 2, title);
      continue;
    }
    if (line.trim() === '') {
      endParagraph();
      collector.add('');
      continue;
    }
    if (REFERENCE_DEFINITION.test(line) && paragraph.length === 0) continue;
    if (underline) continue; // a thematic break (`---` after a blank line)
    paragraph.push(markdownInline(line));
  }
  endParagraph();
  return collector.finish();
}
