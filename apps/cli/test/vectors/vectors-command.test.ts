import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { samplePath } from '@isthmus/fixtures';
import { createUniqueBucket } from '@isthmus/services';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { cli } from '../support/run-cli-in-process.js';

const DOCUMENTS = samplePath('documents');

const jsonLines = (buffer: Buffer) =>
  buffer
    .toString()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));

describe('isthmus vectors on a file:// table', () => {
  let dir: string;
  let table: string;
  let report: { units: number; chunks: number; inserted: number; alreadyPresent: number };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-cli-vectors-'));
    table = `file://${dir}/db/docs`;
    const ingested = await cli('vectors', 'ingest', table, DOCUMENTS, '--json', '--progress');
    expect(ingested.stderr).toMatch(/ingest on local \[#+\] 100% 5\/5 tasks/);
    expect(ingested.code).toBe(0);
    report = JSON.parse(ingested.stdout.toString());
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('ingests every document once; a re-run writes nothing', async () => {
    expect(report.units).toBe((await readdir(DOCUMENTS)).length);
    expect(report.inserted).toBe(report.chunks);
    const again = await cli('vectors', 'ingest', `${dir}/db/docs`, DOCUMENTS);
    expect(again.code).toBe(0);
    expect(again.stdout.toString()).toContain(
      `${report.chunks} chunk(s), 0 new, ${report.chunks} already present`,
    );
  });

  it('indexes, then searches by BM25 with a filter, and describes the table', async () => {
    const indexed = await cli('vectors', 'index', table, '--json');
    expect(indexed.code).toBe(0);
    expect(
      JSON.parse(indexed.stdout.toString()).indexes.map((index: { type: string }) => index.type),
    ).toContain('FTS');
    const found = await cli(
      'vectors',
      'search',
      table,
      'compressed',
      'files',
      '--mode',
      'fts',
      '-k',
      '3',
      '--json',
    );
    expect(found.code).toBe(0);
    const hits = jsonLines(found.stdout);
    expect(hits.map((hit) => hit.rank)).toEqual([1, 2, 3]);
    expect(hits[0].text).toMatch(/compress/i);
    const filtered = await cli(
      'vectors',
      'search',
      table,
      'compressed files',
      '--mode',
      'hybrid',
      '--filter',
      "source LIKE '%.html'",
      '--json',
    );
    const filteredHits = jsonLines(filtered.stdout);
    expect(filteredHits.length).toBeGreaterThan(0);
    expect(filteredHits.every((hit) => hit.source.endsWith('.html'))).toBe(true);
    const text = await cli('vectors', 'search', table, 'gzip', '-k', '1');
    expect(text.stdout.toString()).toMatch(/^ {2}1 {2}-?\d\.\d{4} {2}file:\/\/.+#\d+/);

    const stats = await cli('vectors', 'stats', table, '--json');
    expect(JSON.parse(stats.stdout.toString())).toMatchObject({
      rows: report.chunks,
      sources: report.units,
      dimension: 100,
    });
    const described = (await cli('vectors', 'stats', table)).stdout.toString();
    expect(described).toMatch(new RegExp(`rows +${report.chunks} chunks of ${report.units} document\\(s\\)`));
    expect(described).toMatch(/indexes .*FTS on text/);
  });

  it('compacts under the commit lock', async () => {
    const compacted = await cli('vectors', 'compact', table, '--json');
    expect(compacted.code).toBe(0);
    expect(JSON.parse(compacted.stdout.toString()).version).toBeGreaterThan(1);
    expect(JSON.parse((await cli('vectors', 'stats', table, '--json')).stdout.toString()).rows).toBe(
      report.chunks,
    );
  });

  it('exits 1 with the code of a vectors error and 2 on a usage error', async () => {
    const missing = await cli('vectors', 'search', `${table}-missing`, 'x');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ERR_VECTORS_TABLE_NOT_FOUND');
    expect((await cli('vectors', 'search', table, 'x', '--mode', 'semantic')).code).toBe(2);
    expect((await cli('vectors', 'ingest', table, DOCUMENTS, '--backend', 'cloud')).code).toBe(2);
  });
});

describe('isthmus vectors on an s3:// table, functions on HTTP runtimes', () => {
  it('ingests, indexes and compacts with --backend http, and searches', async () => {
    const s3 = inject('s3');
    vi.stubEnv('AWS_ACCESS_KEY_ID', s3.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', s3.credentials.secretAccessKey);
    vi.stubEnv('AWS_REGION', s3.region);
    try {
      const table = `s3://${await createUniqueBucket(s3, 'cli-vectors')}/db/docs`;
      const endpoint = ['--endpoint', s3.endpoint];
      const ingested = await cli(
        'vectors',
        ...endpoint,
        'ingest',
        table,
        DOCUMENTS,
        '--backend',
        'http',
        '--json',
      );
      expect(ingested.stderr).toBe('');
      expect(JSON.parse(ingested.stdout.toString())).toMatchObject({ units: 5, alreadyPresent: 0 });
      // Index building and compaction as functions on the same backend.
      const indexed = await cli('vectors', ...endpoint, 'index', table, '--backend', 'http', '--json');
      expect(indexed.code).toBe(0);
      const types = JSON.parse(indexed.stdout.toString()).indexes.map(
        (index: { type: string }) => index.type,
      );
      expect(types).toContain('FTS');
      const compacted = await cli('vectors', ...endpoint, 'compact', table, '--backend', 'http', '--json');
      expect(compacted.code).toBe(0);
      expect(JSON.parse(compacted.stdout.toString()).version).toBeGreaterThan(1);
      const found = await cli(
        'vectors',
        ...endpoint,
        'search',
        table,
        'zarr array chunks',
        '-k',
        '2',
        '--json',
      );
      expect(found.code).toBe(0);
      expect(jsonLines(found.stdout)[0].source).toMatch(/^file:\/\/.*documents\//);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
