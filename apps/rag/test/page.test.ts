import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RagServer, renderManPages, SMALL_MAN_CORPUS, startRagServer } from '../src/index.js';
import { ingestAndAsk, launchChromium } from './support/rag-page.js';

// The page in a real browser (Debian's headless Chromium): the token box, ingest with its progress
// bar, a question, the passages with source and score, and the extractive answer, labelled as such.
describe('the RAG page in Chromium', () => {
  let dir: string;
  let server: RagServer;
  let browser: Browser;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-rag-page-'));
    await renderManPages(join(dir, 'corpus'), SMALL_MAN_CORPUS);
    server = await startRagServer({
      table: pathToFileURL(join(dir, 'db', 'docs')).href,
      port: 0,
      token: 'page-token',
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ingests a folder, answers a question and shows the passages that answer it', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const ingested = await ingestAndAsk(page, {
      url: server.url,
      token: 'page-token',
      source: join(dir, 'corpus'),
      question: 'How do I send a signal to terminate a process?',
    });
    expect(ingested).toMatch(
      new RegExp(`^done: ${SMALL_MAN_CORPUS.length} documents, \\d+ chunks \\(\\d+ new\\)`),
    );
    expect(await page.getAttribute('#ingest-status', 'data-state')).toBe('succeeded');
    // The progress element's value reflects its attribute: full when the job is done.
    expect(await page.getAttribute('#ingest-progress', 'value')).toBe('1');
    expect(await page.textContent('#table')).toBe(server.table);
    expect(await page.textContent('#answerer-mode')).toMatch(/^extractive/);

    const passages = page.locator('#passages .passage');
    expect(await passages.count()).toBe(5);
    const sources = await passages.locator('.source').allTextContents();
    expect(['kill.1.txt', 'signal.7.txt']).toContain(sources[0]);
    expect(await passages.first().getAttribute('data-source')).toMatch(/^file:\/\/.*\.txt$/);
    expect(await passages.first().locator('.score').textContent()).toMatch(/^score \d+\.\d{4}$/);
    expect(await page.textContent('#answerer')).toBe('extractive: sentences of the passages');
    const answer = (await page.textContent('#answer')) ?? '';
    expect(answer).toMatch(/signal/i);
    expect(answer).toMatch(/\[\d\]/);
    expect(errors).toEqual([]);
  });
});
