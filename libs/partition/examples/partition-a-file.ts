// Partition a file on the fly and read the partitions independently:
//   node --conditions=@isthmus/source --import tsx libs/partition/examples/partition-a-file.ts [url] [strategy]
// Without a URL it partitions a copy of the 1000 Genomes VCF sample in a temporary directory.
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset, parseStrategy, read } from '@isthmus/partition';

const sample = new URL('../fixtures/vcf/1kg.vcf.gz', import.meta.url);
const url = process.argv[2] ?? join(await mkdtemp(join(tmpdir(), 'isthmus-example-')), '1kg.vcf.gz');
if (!process.argv[2]) await copyFile(sample, url);

const dataset = await openDataset(url); // detects the format from the first bytes
const partitions = await dataset.partition(parseStrategy(process.argv[3] ?? 'count=4')); // index pass once
for (const partition of partitions) {
  let records = 0;
  for await (const _ of read(partition)) records++; // fetches only this partition's byte ranges
  console.log(`${dataset.format} partition ${partition.index}: ${partition.label}, ${records} records`);
}
console.log(`index ${dataset.indexOrigin}; sidecar beside the data, reused by the next run`);
await dataset.close();
