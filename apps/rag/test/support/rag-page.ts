import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (apps/rag/install-deps.sh installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for Chromium on this machine: headless as root without the sandbox or a GPU, and no
 * background connections (the closed network refuses them, many at a time, at every start).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts headless Debian Chromium through playwright-core (with a fresh, empty profile). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** What a person does on the page: give the token if asked, ingest a folder, ask a question. */
export interface PageSession {
  /** The server's URL. */
  url: string;
  token?: string;
  /** The folder (or bucket) to ingest. */
  source: string;
  question: string;
}

/**
 * Drives the RAG page like a person: opens it, enters the token when the page asks for one, ingests
 * `source` and waits for the progress to end, then asks `question` and waits for the passages.
 * Returns the ingest status line as the page shows it.
 */
export async function ingestAndAsk(page: Page, session: PageSession): Promise<string> {
  await page.goto(session.url);
  if (session.token !== undefined) {
    await page.locator('#token-section').waitFor({ state: 'visible' });
    await page.fill('#token', session.token);
    await page.click('#token-save');
    await page.locator('#token-section').waitFor({ state: 'hidden' });
  }
  await page.fill('#source', session.source);
  await page.click('#ingest');
  await page.locator('#ingest-status[data-state]').waitFor({ timeout: 60_000 });
  const ingestStatus = (await page.textContent('#ingest-status')) ?? '';
  await page.fill('#question', session.question);
  await page.click('#ask');
  await page.locator('#passages .passage').first().waitFor({ timeout: 30_000 });
  return ingestStatus;
}
