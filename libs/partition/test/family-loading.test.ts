import { join } from 'node:path';
import { runTool, samplePath } from '@isthmus/fixtures';
import { describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, 'fixtures/open-one-format.ts');

/** Opens, partitions and reads a sample in a fresh process; what it loaded. */
async function openInFreshProcess(sample: string, format?: string) {
  const args = ['--conditions=@isthmus/source', '--import', 'tsx', SCRIPT, samplePath(sample)];
  const stdout = await runTool(process.execPath, format ? [...args, format] : args);
  const result = JSON.parse(stdout.toString('utf8')) as { format: string; records: number; loaded: string[] };
  const families = new Set(
    result.loaded.flatMap((url) => /\/src\/formats\/([a-z-]+)\/index\.ts$/.exec(url)?.[1] ?? []),
  );
  return { ...result, families };
}

describe('format families load on first use', () => {
  it('a declared format loads its family only (no raster, point-cloud, array or mass-spec code)', async () => {
    const { format, records, families, loaded } = await openInFreshProcess(
      'fastq/ERR127302_1_subset.fastq',
      'fastq',
    );
    expect(format).toBe('fastq');
    expect(records).toBe(20_000);
    expect([...families]).toEqual(['genomics']);
    expect(
      loaded.filter((url) => /node_modules\/(geotiff|laz-perf|zarrita|fast-xml-parser)\//.test(url)),
    ).toEqual([]);
  });

  it('detection loads families in detection order until one recognises the data', async () => {
    const { format, families } = await openInFreshProcess('las/autzen_trim.las');
    expect(format).toBe('las');
    // Loaded in the catalog's detection order: array (Zarr) first, then point-cloud recognises LAS.
    expect([...families]).toEqual(['array', 'point-cloud']);
  });
});
