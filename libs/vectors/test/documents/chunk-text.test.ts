import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkLimits, chunkSection, type SectionChunk } from '../../src/documents/chunk-text.js';
import { InvalidArgumentError } from '../../src/errors.js';

const words = [
  'alpha',
  'beta',
  'gamma',
  'δέλτα',
  'epsilon',
  'zeta-eta',
  'x',
  'theta_longer_word',
  '😀',
  'iota',
];

/** Text with sentences, paragraphs, odd whitespace and the occasional very long word or sentence. */
const sectionText = fc
  .array(
    fc.array(
      fc.tuple(
        fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 30 }),
        fc.constantFrom('. ', '! ', '? ', '.\n', '; ', '.  '),
        fc.boolean(),
      ),
      { minLength: 1, maxLength: 8 },
    ),
    { maxLength: 8 },
  )
  .chain((paragraphs) =>
    fc
      .constantFrom('\n\n', '\n \n', '\n\n\n')
      .map((gap) =>
        paragraphs
          .map((sentences) =>
            sentences
              .map(([sentence, end, long]) => (long ? sentence.join('') : sentence.join(' ')) + end)
              .join(''),
          )
          .join(gap),
      ),
  );

const limits = fc
  .integer({ min: 8, max: 400 })
  .chain((maxChars) =>
    fc.record({ maxChars: fc.constant(maxChars), overlapChars: fc.integer({ min: 0, max: maxChars - 1 }) }),
  );

const withoutSpace = (text: string): string => text.replace(/\s+/g, '');

/** The chunks' text without the part each repeats from the one before. */
function fresh(chunks: SectionChunk[]): string {
  return chunks.map((chunk) => chunk.text.slice(chunk.overlap)).join('');
}

describe('chunkSection', () => {
  it('keeps every chunk within maxChars, covers the text in order, overlaps only with the end of the previous chunk, and is deterministic', () => {
    fc.assert(
      fc.property(sectionText, limits, (text, options) => {
        const chunks = chunkSection(text, chunkLimits(options));
        for (const chunk of chunks) {
          expect(chunk.text.length).toBeLessThanOrEqual(options.maxChars);
          expect(chunk.overlap).toBeLessThanOrEqual(options.overlapChars);
          expect(chunk.text.trim()).toBe(chunk.text);
          expect(chunk.text.length).toBeGreaterThan(chunk.overlap);
        }
        chunks.forEach((chunk, i) => {
          if (chunk.overlap > 0)
            expect(chunks[i - 1]!.text.endsWith(chunk.text.slice(0, chunk.overlap))).toBe(true);
        });
        expect(withoutSpace(fresh(chunks))).toBe(withoutSpace(text));
        expect(chunkSection(text, chunkLimits(options))).toEqual(chunks);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps paragraphs whole when they fit, separated by one blank line', () => {
    const paragraphs = ['First paragraph. It has two sentences.', 'Second one.', 'Third paragraph is here.'];
    const text = paragraphs.join('\n\n\n');
    expect(chunkSection(text, chunkLimits({ maxChars: 60, overlapChars: 0 }))).toEqual([
      { text: `${paragraphs[0]}\n\n${paragraphs[1]}`, overlap: 0 },
      { text: paragraphs[2], overlap: 0 },
    ]);
  });

  it('cuts a long paragraph at sentence ends and repeats whole trailing sentences as overlap', () => {
    const text = 'One two three. Four five six. Seven eight nine. Ten eleven twelve.';
    expect(chunkSection(text, chunkLimits({ maxChars: 32, overlapChars: 16 }))).toEqual([
      { text: 'One two three. Four five six.', overlap: 0 },
      { text: 'Four five six. Seven eight nine.', overlap: 14 },
      // "Seven eight nine." (17 characters) is longer than the overlap allows.
      { text: 'Ten eleven twelve.', overlap: 0 },
    ]);
  });

  it('hard-splits only a sentence longer than maxChars, at whitespace where it can', () => {
    const long = `Word ${'word '.repeat(29).trim()}.`;
    const chunks = chunkSection(`Short one. ${long} End.`, chunkLimits({ maxChars: 40, overlapChars: 0 }));
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      'Short one.',
      `Word ${'word '.repeat(7).trim()}`,
      'word '.repeat(8).trim(),
      'word '.repeat(8).trim(),
      `${'word '.repeat(6).trim()}. End.`,
    ]);
  });

  it('gives nothing for a section of whitespace', () => {
    expect(chunkSection(' \n\n \t\n', chunkLimits())).toEqual([]);
  });

  it('refuses limits out of their domain', () => {
    expect(() => chunkLimits({ maxChars: 1 })).toThrow(InvalidArgumentError);
    expect(() => chunkLimits({ maxChars: 100, overlapChars: 100 })).toThrow(InvalidArgumentError);
    expect(() => chunkLimits({ overlapChars: -1 })).toThrow(InvalidArgumentError);
    expect(chunkLimits()).toEqual({ maxChars: 1200, overlapChars: 150 });
  });
});
