import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { samplePath } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/run-cli-in-process.js';

const run = promisify(execFile);

describe('isthmus partition (on a local directory, real sample files)', () => {
  let dir: string;
  let bam: string;
  let samtoolsCount: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-cli-partition-'));
    await mkdir(join(dir, 'data'));
    bam = join(dir, 'data', 'ecoli.bam');
    await copyFile(samplePath('bam/ecoli_nanopore.bam'), bam);
    samtoolsCount = Number((await run('samtools', ['view', '-c', bam])).stdout);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('indexes once, stores the sidecar beside the data, and reuses it', async () => {
    const first = await cli('partition', 'index', bam, '--progress');
    expect(first.code).toBe(0);
    expect(first.stdout.toString()).toMatch(/format\s+bam/);
    expect(first.stdout.toString()).toMatch(/index\s+built/);
    expect(first.stdout.toString()).toContain(`records  ${samtoolsCount} `);
    expect(first.stderr).toMatch(/index pass \[#+\] 100%/);
    expect(await readdir(join(dir, 'data'))).toContain('ecoli.bam.isthmus-index.json');

    const again = await cli('partition', 'index', `file://${bam}`, '--json');
    expect(JSON.parse(again.stdout.toString())).toMatchObject({ format: 'bam', origin: 'sidecar' });
  });

  it('plans partitions as a table and as JSON lines that cover every record', async () => {
    const table = await cli('partition', 'plan', bam, '--by', 'count=3');
    expect(table.code).toBe(0);
    expect(table.stdout.toString().trim().split('\n')).toHaveLength(4);

    const json = await cli('partition', 'plan', bam, '--by', 'records=100', '--json');
    const partitions = json.stdout
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(partitions).toHaveLength(Math.ceil(samtoolsCount / 100));
    expect(partitions.reduce((sum: number, p: { records: number }) => sum + p.records, 0)).toBe(
      samtoolsCount,
    );
  });

  it('reads records as JSON lines and writes a partition as a file samtools reads', async () => {
    const records = await cli(
      'partition',
      'read',
      bam,
      '--by',
      'count=2',
      '--partition',
      '1',
      '--limit',
      '3',
    );
    expect(records.code).toBe(0);
    const lines = records.stdout.toString().trim().split('\n');
    expect(lines).toHaveLength(3);
    const samtoolsLines = (await run('samtools', ['view', bam], { maxBuffer: 1 << 28 })).stdout.split('\n');
    const half = (await cli('partition', 'plan', bam, '--by', 'count=2', '--json')).stdout
      .toString()
      .split('\n');
    const skipped = JSON.parse(half[0]!).records as number;
    const names = lines.map((line) => JSON.parse(line).name);
    expect(names).toEqual(samtoolsLines.slice(skipped, skipped + 3).map((line) => line.split('\t')[0]));

    const out = join(dir, 'pieces');
    const written = await cli(
      'partition',
      'read',
      bam,
      '--by',
      'records=200',
      '--partition',
      '0',
      '--to-file',
      out,
    );
    expect(written.code).toBe(0);
    const [file] = written.stdout.toString().trim().split('\n');
    expect(Number((await run('samtools', ['view', '-c', file!])).stdout)).toBe(200);
  });

  it('exits 1 with the error code on bad data, and 2 on a bad strategy', async () => {
    const declared = await cli('partition', 'index', bam, '--format', 'vcf');
    expect(declared.code).toBe(1);
    expect(declared.stderr).toContain('ERR_PARTITION_FORMAT_MISMATCH');
    const strategy = await cli('partition', 'plan', bam, '--by', 'count=0');
    expect(strategy.code).toBe(2);
    expect(strategy.stderr).toContain('count must be a positive integer');
    const unsupported = await cli('partition', 'plan', bam, '--by', 'tiles=2x2');
    expect(unsupported.code).toBe(1);
    expect(unsupported.stderr).toContain('ERR_PARTITION_UNSUPPORTED_STRATEGY');
  });
});
