import { execFile } from 'node:child_process';
import { mkdir, realpath, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  VECTOR_FUNCTIONS_EXTERNALS,
  vectorFunctionsBundle,
} from '../../src/functions/vector-functions-bundle.js';

const execFileAsync = promisify(execFile);

// The default bundle lives in the OS temp folder, shared across runs. A bundle of the same code
// built by another installation (another clone, since deleted) has links that lead nowhere: it
// must not be picked up. This is what broke a CI run whose machine had run an earlier clone.
describe('the default vector functions bundle', () => {
  it('links every external to this installation, even beside a same-code bundle of a deleted one', async () => {
    const first = await vectorFunctionsBundle();
    const stale = join(tmpdir(), 'isthmus-vector-functions', first.hash);
    await rm(stale, { recursive: true, force: true });
    await mkdir(join(stale, 'node_modules', '@lancedb'), { recursive: true });
    for (const name of VECTOR_FUNCTIONS_EXTERNALS)
      await symlink(
        join(tmpdir(), 'a-deleted-clone', 'node_modules', name),
        join(stale, 'node_modules', name),
      );
    try {
      const bundle = await vectorFunctionsBundle();
      expect(bundle.hash).toBe(first.hash);
      expect(bundle.dir).not.toBe(stale);
      const require = createRequire(import.meta.url);
      for (const name of VECTOR_FUNCTIONS_EXTERNALS) {
        const linked = await realpath(join(bundle.dir, 'node_modules', name));
        expect(dirname(await realpath(require.resolve(name)))).toContain(linked);
      }
      // loaded by a process started elsewhere, as a runtime or a Slurm job loads it
      const loaded = await execFileAsync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(bundle.file)}); console.log(typeof m.runTask)`,
        ],
        { cwd: tmpdir() },
      );
      expect(loaded.stdout.trim()).toBe('function');
    } finally {
      await rm(stale, { recursive: true, force: true });
    }
  });
});
