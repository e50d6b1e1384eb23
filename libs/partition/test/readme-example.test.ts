import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTool, samplePath } from '@isthmus/fixtures';
import { afterAll, describe, expect, it } from 'vitest';

const EXAMPLE = fileURLToPath(new URL('../examples/partition-a-file.ts', import.meta.url));
const SAMPLE = samplePath('vcf/1kg.vcf.gz');

describe('the README example', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('partitions a VCF into pieces whose records add up to bcftools count, and reuses the index', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isthmus-readme-'));
    dirs.push(dir);
    const vcf = join(dir, 'calls.vcf.gz');
    await copyFile(SAMPLE, vcf);
    await copyFile(`${SAMPLE}.tbi`, `${vcf}.tbi`);
    const example = async (...args: string[]) =>
      (
        await runTool(process.execPath, ['--conditions=@isthmus/source', '--import', 'tsx', EXAMPLE, ...args])
      ).toString('utf8');
    const first = await example(vcf, 'count=4');
    const counts = [...first.matchAll(/, (\d+) records/g)].map((match) => Number(match[1]));
    expect(counts.length).toBeGreaterThan(1);
    const bcftools = Number((await runTool('bcftools', ['index', '--nrecords', vcf])).toString());
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(bcftools);
    expect(first).toContain('index built');
    expect(await example(vcf, 'records=100')).toContain('index sidecar');
  });
});
