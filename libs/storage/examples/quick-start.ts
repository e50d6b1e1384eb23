// The README's example: node --conditions=@isthmus/source --import tsx examples/quick-start.ts [store URL]
import { openStore, PreconditionFailedError } from '@isthmus/storage';

const store = openStore(process.argv[2] ?? 'file:///tmp/isthmus-example'); // or s3://bucket/prefix
await store.put('genomes/ce.fa', '>chrI\nGCCTAAGCCTAAGCCTAAGC\n');
const head = await store.get('genomes/ce.fa', { range: { offset: 0, length: 5 } }); // '>chrI'
const { etag } = await store.head('genomes/ce.fa');
await store.put('genomes/ce.fa', '>chrI\nACGT\n', { ifMatch: etag }); // compare-and-swap
try {
  await store.put('genomes/ce.fa', 'late', { ifMatch: etag }); // etag is stale now
} catch (error) {
  if (!(error instanceof PreconditionFailedError)) throw error;
}
for await (const entry of store.list({ prefix: 'genomes/', delimiter: '/' })) console.log(entry);
console.log(Buffer.from(head).toString());
await store.close();
