import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs the layering check exactly as `npm run lint` does, in a workspace folder. */
function lintLayers(cwd: string): { status: number | null; output: string } {
  const run = spawnSync('npm', ['run', '--silent', 'lint:layers'], { cwd, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/**
 * A miniature copy of the workspace in a temporary folder: the real root manifest (with its
 * `lint:layers` script), the real dependency-cruiser config, and the real
 * manifests of libs/storage, libs/faas, libs/partition and test/, each with a small source file
 * importing downward, linked into node_modules as npm links them. `files` adds or replaces files.
 * The folder is removed once `use` returns, even when it throws.
 */
function withMiniWorkspace<T>(files: Record<string, string>, use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'isthmus-layering-'));
  try {
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    for (const path of [
      'package.json',
      '.gitignore',
      '.dependency-cruiser.cjs',
      'libs/storage/package.json',
      'libs/faas/package.json',
      'libs/partition/package.json',
      'test/package.json',
    ]) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      copyFileSync(join(ROOT, path), join(dir, path));
    }
    const sources: Record<string, string> = {
      'libs/storage/src/index.ts': "export const STORAGE = 'storage';\n",
      'libs/faas/src/index.ts':
        "import { STORAGE } from '@isthmus/storage';\nexport const FAAS = [STORAGE, 'faas'];\n",
      'libs/partition/src/index.ts':
        "import { STORAGE } from '@isthmus/storage';\nexport const PARTITION = [STORAGE];\n",
      'test/e2e.ts': "import { PARTITION } from '@isthmus/partition';\nexport const E2E = PARTITION;\n",
    };
    for (const [path, text] of Object.entries({ ...sources, ...files })) write(path, text);
    for (const name of ['storage', 'faas', 'partition']) {
      mkdirSync(join(dir, 'node_modules/@isthmus'), { recursive: true });
      symlinkSync(`../../libs/${name}`, join(dir, `node_modules/@isthmus/${name}`));
    }
    symlinkSync(join(ROOT, 'node_modules/copc'), join(dir, 'node_modules/copc'));
    mkdirSync(join(dir, 'node_modules/.bin'));
    symlinkSync(
      join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
      join(dir, 'node_modules/.bin/depcruise'),
    );
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the layering check (npm run lint:layers)', () => {
  it('passes a miniature workspace whose packages import each other downward, by name', () => {
    const { status, output } = withMiniWorkspace({}, lintLayers);
    expect(output).not.toMatch(/error /);
    expect(status).toBe(0);
  });

  it('fails on a library importing a library above it, naming the rule', () => {
    const { status, output } = withMiniWorkspace(
      { 'libs/storage/src/upward.ts': "import { FAAS } from '@isthmus/faas';\nexport const UP = FAAS;\n" },
      lintLayers,
    );
    expect(output).toContain(
      'error storage-imports-no-other-library: libs/storage/src/upward.ts → libs/faas/src/index.ts',
    );
    expect(output).toContain(
      'error workspace-dependency-not-declared: libs/storage/src/upward.ts → libs/faas/src/index.ts',
    );
    expect(status).not.toBe(0);
  });

  it('fails on a relative import into another package, naming the rule', () => {
    const { status, output } = withMiniWorkspace(
      {
        'test/by-path.ts':
          "import { STORAGE } from '../libs/storage/src/index.js';\nexport const P = STORAGE;\n",
      },
      lintLayers,
    );
    expect(output).toContain(
      'error no-relative-import-across-packages: test/by-path.ts → libs/storage/src/index.ts',
    );
    expect(status).not.toBe(0);
  });

  it("fails on a library's shipped code importing one of its devDependencies, naming the rule", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'libs/partition/package.json'), 'utf8'));
    expect(manifest.devDependencies).toHaveProperty('copc');
    expect(manifest.dependencies).not.toHaveProperty('copc');
    const { status, output } = withMiniWorkspace(
      {
        'libs/partition/src/arbitrary.ts': "import { Copc } from 'copc';\nexport const READER = Copc;\n",
      },
      lintLayers,
    );
    expect(output).toMatch(
      /error shipped-code-not-to-dev-dependencies: libs\/partition\/src\/arbitrary\.ts → \S*node_modules\/copc\//,
    );
    expect(status).not.toBe(0);
  });

  it('passes on the real tree', () => {
    const { status, output } = lintLayers(ROOT);
    expect(output).not.toMatch(/error /);
    expect(status).toBe(0);
  });
});
