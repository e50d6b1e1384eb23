import { readFile } from 'node:fs/promises';
import { samplePath } from '@isthmus/fixtures';
import { describe, expect, it } from 'vitest';
import { htmlSections } from '../../src/documents/html-sections.js';
import { markdownSections } from '../../src/documents/markdown-sections.js';
import { plainTextSections, withoutManRendering } from '../../src/documents/plain-text-sections.js';

const sample = (name: string) => readFile(samplePath(`documents/${name}`), 'utf8');
const compact = (sections: { heading: string; text: string }[]) =>
  sections.map(({ heading, text }) => ({ heading, text: text.replace(/\s+/g, ' ').trim() }));

describe('markdownSections', () => {
  it('tracks the heading path, keeps code fences as text, reduces links to their text', () => {
    const markdown = [
      '---',
      'title: front matter',
      '---',
      'Intro with a [link](https://example.org "title") and ![an image](x.png).',
      '',
      '# Guide',
      'Read [the docs][docs].',
      '',
      '## Install',
      '```sh',
      '# not a heading',
      'npm install x',
      '```',
      'Setext title',
      '------------',
      'Under setext. <https://example.org/a>',
      '',
      '---',
      '',
      '# Other #',
      'Last.',
      '',
      '[docs]: https://example.org/docs',
    ].join('\n');
    expect(compact(markdownSections(markdown))).toEqual([
      { heading: '', text: 'Intro with a link and an image.' },
      { heading: 'Guide', text: 'Read the docs.' },
      { heading: 'Guide › Install', text: '# not a heading npm install x' },
      { heading: 'Guide › Setext title', text: 'Under setext. https://example.org/a' },
      { heading: 'Other', text: 'Last.' },
    ]);
  });

  it('reads a real README', async () => {
    const sections = markdownSections(await sample('conmon-README.md'));
    expect(sections.map((section) => section.heading)).toContain('conmon › Static build › Nix');
    expect(sections.some((section) => section.text.includes('](') || section.text.includes('```'))).toBe(
      false,
    );
    expect(sections.find((section) => section.heading === 'conmon › Build')!.text).toContain('make');
  });
});

describe('htmlSections', () => {
  it('strips tags, drops scripts and styles, decodes entities, makes headings and paragraphs', () => {
    const html = `<!DOCTYPE html><html><head><title>T</title><style>p{x:1}</style></head>
      <body><!-- a comment --><p>Before &amp; after&nbsp;it, 3 &lt; 4 &#x263A;</p>
      <h1 class="x">Top <em>level</em></h1><div>One<br>two</div><script>var a = "<p>no</p>";</script>
      <h2>Sub</h2><pre>  keep
    spacing</pre><p>a <b>bold</b> word, x < y</p><h1>Next</h1><ul><li>item</li></ul></body></html>`;
    expect(htmlSections(html).map(({ heading, text }) => ({ heading, text: text.trim() }))).toEqual([
      { heading: '', text: 'Before & after\u00a0it, 3 < 4 ☺' },
      { heading: 'Top level', text: 'One\ntwo' },
      { heading: 'Top level › Sub', text: 'keep\n    spacing\n\n\n\na bold word, x < y' },
      { heading: 'Next', text: 'item' },
    ]);
  });

  it('reads pages without closing tags for head or paragraphs, and quoted > in attributes', () => {
    const html = '<html><head><meta charset=utf-8><title>T</title><body><p title="a>b">One<p>Two &copy 2024';
    expect(htmlSections(html).map(({ heading, text }) => ({ heading, text: text.trim() }))).toEqual([
      { heading: '', text: 'One\n\nTwo © 2024' },
    ]);
  });

  it('reads a real Sphinx page', async () => {
    const sections = htmlSections(await sample('zarr-spec-v1.html'));
    expect(sections.map((section) => section.heading)).toContain(
      'Zarr storage specification version 1 › Metadata › Data type encoding',
    );
    const all = sections.map((section) => section.text).join('\n');
    expect(all).not.toMatch(/<\/?[a-z]+[ >]|&[a-z]+;|function\s*\(/);
    expect(all).toContain('The metadata resource is a JSON object.');
  });
});

describe('plainTextSections', () => {
  it('takes capitals at column 0 for headings, as man renders them', async () => {
    const sections = plainTextSections(withoutManRendering(await sample('gzip.1.txt')));
    expect(sections.map((section) => section.heading)).toEqual([
      '',
      'NAME',
      'SYNOPSIS',
      'DESCRIPTION',
      'OPTIONS',
      'ADVANCED USAGE',
      'ENVIRONMENT',
      'SEE ALSO',
      'DIAGNOSTICS',
      'CAVEATS',
      'BUGS',
      'REPORTING BUGS',
      'COPYRIGHT NOTICE',
    ]);
    expect(sections[1]!.text.trim()).toBe('gzip, gunzip, zcat - compress or expand files');
    expect(sections.find((section) => section.heading === 'ENVIRONMENT')!.text).toContain('options');
  });

  it('undoes overstrikes, colours and hyphenation of man output; indented or lower-case lines are text', () => {
    const text = withoutManRendering(
      'N\bNA\bAM\bME\bE\n   \x1b[1mls\x1b[0m - list\n   A  B\nNot Caps\nop\u2010\n     tions',
    );
    expect(plainTextSections(text)).toEqual([
      { heading: 'NAME', text: '   ls - list\n   A  B\nNot Caps\noptions' },
    ]);
  });
});
