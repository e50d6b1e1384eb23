// Partition a file on the fly and read the partitions independently:
//   npx tsx partition-a-file.ts <url> [strategy]     e.g. /data/calls.vcf.gz count=4
import { openDataset, read } from '@isthmus/partition';

const url = process.argv[2];
if (!url) throw new Error('usage: partition-a-file.ts <file path or s3:// / file:// URL> [strategy]');

const dataset = await openDataset(url); // detects the format from the first bytes
const partitions = await dataset.partition(process.argv[3] ?? 'count=4'); // index pass once
for (const partition of partitions) {
  let records = 0;
  for await (const _ of read(partition)) records++; // fetches only this partition's byte ranges
  console.log(`${dataset.format} partition ${partition.index}: ${partition.label}, ${records} records`);
}
console.log(`index ${dataset.indexOrigin}; sidecar beside the data, reused by the next run`);
await dataset.close();
