// Writes docs/screenshot.png: the page in headless Chromium after ingesting a dozen manual pages and
// asking a question (npm run screenshot -w @isthmus/rag-app).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderManPages, SMALL_MAN_CORPUS, startRagServer } from '../src/index.js';
import { ingestAndAsk, launchChromium } from '../test/support/rag-page.js';

const OUTPUT = fileURLToPath(new URL('../docs/screenshot.png', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'isthmus-rag-screenshot-'));
const corpus = join(dir, 'man');
await renderManPages(corpus, SMALL_MAN_CORPUS);
const server = await startRagServer({ table: pathToFileURL(join(dir, 'db', 'docs')).href, port: 0 });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await ingestAndAsk(page, {
    url: server.url,
    source: corpus,
    question: 'How do I extract a gzip-compressed tar archive?',
  });
  await page.screenshot({ path: OUTPUT, fullPage: false });
  console.log(`screenshot: ${OUTPUT}`);
} finally {
  await browser.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
