import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatBytes } from 'isthmus';
import { openDemoStore, SAMPLES_DIR, type Stack } from './demo-store.js';
import { ingestSamples, nextRunNumber, verifySample } from './ingest-and-verify.js';

const USAGE = `usage: npm run demo [-- --stack hpc|cloud] [--store URL]
  --stack hpc    a file:// store standing in for the parallel file system (default)
  --stack cloud  the local Ceph RGW (S3), installed and started on first use
  --store URL    any s3:// or file:// store instead`;

const { values } = parseArgs({
  options: {
    stack: { type: 'string', default: 'hpc' },
    store: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.stack !== 'hpc' && values.stack !== 'cloud') {
  console.error(`unknown stack "${values.stack}"\n${USAGE}`);
  process.exit(2);
}

const io = { stdout: process.stdout, stderr: process.stderr };
const store = await openDemoStore(values.stack as Stack, values.store);
try {
  const started = Date.now();
  const run = await nextRunNumber(store);
  console.log(`isthmus demo, run #${run}, ${values.stack} stack, store ${store.url}`);
  const names = await ingestSamples(store, SAMPLES_DIR, io);
  const reports = [];
  for (const name of names)
    reports.push(await verifySample(store, `samples/${name}`, await readFile(join(SAMPLES_DIR, name))));
  await store.put('manifest.json', JSON.stringify({ run, samples: reports }, null, 2), {
    contentType: 'application/json',
  });

  console.log(
    `\n${'object'.padEnd(40)} ${'size'.padStart(10)} ${'ranges'.padStart(6)}  sha256 (first 16)  ok`,
  );
  for (const report of reports) {
    console.log(
      `${report.key.padEnd(40)} ${formatBytes(report.bytes).padStart(10)} ${String(report.rangesRead).padStart(6)}  ${report.sha256.slice(0, 16)}   ${report.verified ? 'yes' : 'NO'}`,
    );
  }
  const failed = reports.filter((report) => !report.verified);
  const total = reports.reduce((sum, report) => sum + report.bytes, 0);
  console.log(
    `\n${reports.length} objects, ${formatBytes(total)}, manifest at ${store.url}/manifest.json, ${Date.now() - started} ms`,
  );
  if (failed.length > 0) {
    console.error(`demo FAILED: ${failed.length} object(s) did not read back intact`);
    process.exitCode = 1;
  } else {
    console.log('demo OK: every object written, read back in parallel byte ranges, and verified');
  }
} finally {
  await store.close();
}
