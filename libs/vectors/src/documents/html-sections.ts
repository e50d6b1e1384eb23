import { decodeHTML } from 'entities';
import { type DocumentSection, SectionCollector } from './document-section.js';

/** Elements whose content is not text a reader sees. */
const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'title', 'svg', 'math', 'object']);

/** Elements that start and end a paragraph. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hr',
  'html',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

/** HTML's whitespace (not U+00A0, which a no-break space keeps) collapsed to one space. */
function collapseSpace(text: string): string {
  return text.replace(/[ \t\n\f\r]+/g, ' ');
}

/** Private-use characters: the glyphs of icon fonts (permalink and menu icons), not text. */
const PRIVATE_USE = /\p{Co}/gu;

const TAG = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)/;

/** Where the tag starting at `from` ends (just past its `>`), quoted attribute values skipped; -1 when it never does. */
function tagEnd(html: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < html.length; i++) {
    const char = html[i]!;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '>') return i + 1;
  }
  return -1;
}

/** Where the content of a dropped element `name` opened at `from` ends: past its closing tag, or the end of the text. */
function afterClosing(html: string, name: string, from: number): number {
  const close = new RegExp(`</${name}[\\s/>]`, 'gi');
  close.lastIndex = from;
  const match = close.exec(html);
  if (!match) return html.length;
  const end = tagEnd(html, match.index);
  return end < 0 ? html.length : end;
}

/**
 * The sections of an HTML document, by a small tolerant scanner: tags stripped; `script`,
 * `style`, `title` and other non-text elements dropped with their content; comments, doctype and
 * processing instructions dropped; entities decoded (the full HTML5 table); private-use
 * characters (icon-font glyphs) dropped; `h1`–`h6` make the
 * heading path; block elements are paragraph breaks, `br` a line break; whitespace collapses
 * except inside `pre`. A `<` that opens no tag is text.
 */
export function htmlSections(html: string): DocumentSection[] {
  const collector = new SectionCollector();
  let heading: { level: number; text: string } | undefined;
  let pre = 0;
  let line = '';
  const emit = (text: string): void => {
    if (heading) heading.text += text;
    else line += text;
  };
  const breakLine = (paragraph: boolean): void => {
    if (heading) return;
    collector.add(line);
    if (paragraph) collector.add('');
    line = '';
  };
  const text = (raw: string): void => {
    const decoded = decodeHTML(raw).replace(PRIVATE_USE, '');
    emit(pre > 0 && !heading ? decoded : collapseSpace(decoded));
  };
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf('<', at);
    if (open < 0) {
      text(html.slice(at));
      break;
    }
    if (open > at) text(html.slice(at, open));
    if (html.startsWith('<!--', open)) {
      const end = html.indexOf('-->', open + 4);
      at = end < 0 ? html.length : end + 3;
      continue;
    }
    if (html[open + 1] === '!' || html[open + 1] === '?') {
      const end = html.indexOf('>', open);
      at = end < 0 ? html.length : end + 1;
      continue;
    }
    const tag = TAG.exec(html.slice(open, open + 64));
    const end = tag ? tagEnd(html, open) : -1;
    if (!tag || end < 0) {
      text('<');
      at = open + 1;
      continue;
    }
    at = end;
    const closing = tag[1] === '/';
    const name = tag[2]!.toLowerCase();
    const selfClosing = html[end - 2] === '/';
    if (DROPPED.has(name)) {
      if (!closing && !selfClosing) at = afterClosing(html, name, end);
      continue;
    }
    const level = /^h([1-6])$/.exec(name);
    if (level) {
      if (!closing && !heading) {
        breakLine(true);
        heading = { level: Number(level[1]), text: '' };
      } else if (closing && heading) {
        collector.heading(heading.level, collapseSpace(heading.text));
        heading = undefined;
      }
      continue;
    }
    if (name === 'br') breakLine(false);
    else if (BLOCKS.has(name)) {
      breakLine(true);
      if (name === 'pre') pre = Math.max(0, pre + (closing ? -1 : 1));
    }
  }
  if (heading) collector.heading(heading.level, collapseSpace(heading.text));
  breakLine(true);
  return collector.finish();
}
