import { buildBundle } from '@isthmus/faas';
import type { Command } from 'commander';
import type { CommandIo } from '../io.js';

/** `isthmus faas build <module>`: bundles a module of functions for every backend. */
export function registerBuild(group: Command, io: CommandIo): void {
  group
    .command('build')
    .description('bundle a module of exported async functions (TypeScript or JavaScript) for every backend')
    .argument('<module>', 'the functions module, e.g. src/functions.ts')
    .option('-o, --out <dir>', 'bundle directory', 'dist/isthmus-bundle')
    .action(async (module: string, options: { out: string }) => {
      const bundle = await buildBundle({ entry: module, outDir: options.out });
      io.stdout.write(`${bundle.dir}\n`);
      io.stderr.write(
        `bundled ${bundle.functions.length} function(s): ${bundle.functions.join(', ')} (sha256 ${bundle.hash.slice(0, 12)})\n`,
      );
    });
}
