import { join } from 'node:path';
import { loadBundle, writeFunctionSource, writeLambdaZip } from '@isthmus/faas';
import type { Command } from 'commander';
import type { CommandIo } from '../io.js';

/** `isthmus faas package <bundle>`: deployable units for the cloud runtimes. */
export function registerPackage(group: Command, io: CommandIo): void {
  group
    .command('package')
    .description(
      'emit deployable units of a bundle: a Cloud Run functions / Knative source directory and a Lambda zip',
    )
    .argument('<bundle>', 'a bundle directory (isthmus faas build)')
    .option('-o, --out <dir>', 'where to write the units', 'dist/isthmus-package')
    .action(async (bundleDir: string, options: { out: string }) => {
      const bundle = await loadBundle(bundleDir);
      const source = await writeFunctionSource(bundle, join(options.out, 'function-source'));
      const zip = await writeLambdaZip(bundle, join(options.out, 'lambda.zip'));
      io.stdout.write(
        `${source}\t(Cloud Run functions: --entry-point http | cloudEvent; Knative func: handle)\n`,
      );
      io.stdout.write(`${zip.path}\t(AWS Lambda, nodejs20.x, handler ${zip.handler})\n`);
    });
}
