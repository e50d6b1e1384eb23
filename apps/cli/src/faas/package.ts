import { join } from 'node:path';
import {
  buildOciImage,
  loadBundle,
  writeFunctionSource,
  writeLambdaZip,
  writeSlurmScript,
} from '@isthmus/faas';
import type { Command } from 'commander';
import type { CommandIo } from '../io.js';

/** `isthmus faas package <bundle>`: deployable units for the cloud runtimes. */
export function registerPackage(group: Command, io: CommandIo): void {
  group
    .command('package')
    .description(
      'emit deployable units of a bundle: a Cloud Run functions / Knative source directory, a Lambda zip, a Slurm batch script, an OCI image',
    )
    .argument('<bundle>', 'a bundle directory (isthmus faas build)')
    .option('-o, --out <dir>', 'where to write the units', 'dist/isthmus-package')
    .option(
      '--image <tag>',
      'also build an OCI image (buildah, FROM scratch) serving the bundle on port 8080',
    )
    .action(async (bundleDir: string, options: { out: string; image?: string }) => {
      const bundle = await loadBundle(bundleDir);
      const source = await writeFunctionSource(bundle, join(options.out, 'function-source'));
      const zip = await writeLambdaZip(bundle, join(options.out, 'lambda.zip'));
      const script = await writeSlurmScript(bundle, join(options.out, 'isthmus-tasks.sh'));
      io.stdout.write(
        `${source}\t(Cloud Run functions: --entry-point http | cloudEvent; Knative func: handle)\n`,
      );
      io.stdout.write(`${zip.path}\t(AWS Lambda, nodejs20.x, handler ${zip.handler})\n`);
      io.stdout.write(`${script}\t(Slurm: sbatch --array=0-<n-1> ${script} <store-url> <keys-file>)\n`);
      if (options.image) {
        const image = await buildOciImage({ bundle, tag: options.image });
        io.stdout.write(
          `${image.tag}\t(OCI image ${image.imageId.slice(0, 12)}, ${(image.sizeBytes / 1e6).toFixed(0)} MB: podman run -e PORT=8080 …)\n`,
        );
      }
    });
}
