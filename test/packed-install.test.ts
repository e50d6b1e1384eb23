import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { runTool, samplePath } from '@isthmus/fixtures';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const WORKSPACE = fileURLToPath(new URL('..', import.meta.url));
/** The published libraries: workspace folder and package name. */
const LIBRARIES = [
  { dir: 'libs/storage', name: '@isthmus/storage' },
  { dir: 'libs/faas', name: '@isthmus/faas' },
  { dir: 'libs/partition', name: '@isthmus/partition' },
  { dir: 'libs/vectors', name: '@isthmus/vectors' },
  { dir: 'libs/streams', name: '@isthmus/streams' },
] as const;
/** The README examples, copied into the user's project as they are (TypeScript). */
const EXAMPLES = [
  'libs/storage/examples/quick-start.ts',
  'libs/faas/examples/map-reduce.ts',
  'libs/faas/examples/functions.ts',
  'libs/partition/examples/partition-a-file.ts',
  'libs/vectors/examples/ingest-and-search.ts',
  'libs/streams/examples/start-broker.ts',
];
const SAMPLE_VCF = samplePath('vcf/1kg.vcf.gz');
const SAMPLE_DOCUMENTS = samplePath('documents');
/** What npm, Nx and tar may print before they fail: their output is the error message. */
const MAX_OUTPUT = 64 << 20;

/**
 * Runs a command and returns its stdout; a failure rejects with everything it printed, so that
 * a failed `npm install` shows npm's own explanation (ETARGET, EBADENGINE, …).
 */
async function run(command: string, args: string[], cwd: string, env = process.env): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, args, { cwd, env, maxBuffer: MAX_OUTPUT });
    return stdout;
  } catch (error) {
    const { code, stdout = '', stderr = '' } = error as { code?: unknown; stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed (${code}) in ${cwd}:\n${stdout}\n${stderr}`);
  }
}

/**
 * The environment of a user's shell: none of the `npm_*` settings an enclosing `npm test` exports
 * (they would point npm at the workspace), no `NODE_OPTIONS` (e.g. `--conditions`).
 */
function userEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
  );
  delete env.NODE_OPTIONS;
  return env;
}

/** Every file path an `exports` map names, through nested conditions. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (exports === null || typeof exports !== 'object') return [];
  return Object.values(exports).flatMap(exportTargets);
}

/** A library's tarball as `npm pack` made it: its file list and its package.json. */
interface PackedLibrary {
  name: string;
  tarball: string;
  files: string[];
  manifest: { exports: unknown };
}

describe('the libraries installed from their packed tarballs, outside the workspace', () => {
  let scratch: string;
  let project: string;
  const packed: PackedLibrary[] = [];

  /** Runs a file of the user's project with plain `node`: package imports go through the installed `exports`. */
  const node = (file: string, ...args: string[]) =>
    run(process.execPath, [file, ...args], project, userEnvironment());

  beforeAll(async () => {
    // Nx caches the build: a no-op after `npm test` built the libraries, a build when run alone.
    await run(
      'npx',
      ['nx', 'run-many', '-t', 'build', '-p', ...LIBRARIES.map(({ name }) => name), '--outputStyle=static'],
      WORKSPACE,
      { ...process.env, NX_DAEMON: 'false' },
    );
    scratch = await mkdtemp(join(tmpdir(), 'isthmus-packed-'));
    const tarballs = join(scratch, 'tarballs');
    await mkdir(tarballs);
    for (const { dir, name } of LIBRARIES) {
      const [report] = JSON.parse(
        await run('npm', ['pack', '--json', '--pack-destination', tarballs], join(WORKSPACE, dir)),
      ) as Array<{ filename: string }>;
      if (!report) throw new Error(`npm pack wrote no tarball for ${name}`);
      const tarball = join(tarballs, report.filename);
      const files = (await run('tar', ['-tzf', tarball], scratch)).split('\n').filter(Boolean);
      const manifest = JSON.parse(await run('tar', ['-xzOf', tarball, 'package/package.json'], scratch));
      packed.push({ name, tarball, files, manifest });
    }

    project = join(scratch, 'project');
    await mkdir(project);
    await writeFile(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'isthmus-user', private: true, type: 'module' }, null, 2)}\n`,
    );
    // --prefer-offline: the registry's packages are in npm's cache since `npm ci`; without it npm
    // revalidates every one of them over the network (a CI run once spent over 300 s here).
    // --ignore-scripts: npm 12's default (dependencies' install scripts blocked until approved),
    // and it skips compiling the Lambda runtime client's addon (faas's optional dependency, a
    // minute of CPU the examples do not use); esbuild works from its platform package without one.
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--ignore-scripts',
        ...packed.map(({ tarball }) => tarball),
      ],
      project,
      userEnvironment(),
    );
    for (const example of EXAMPLES) {
      const source = join(WORKSPACE, example);
      const name = basename(example);
      await copyFile(source, join(project, name));
      // Types stripped, imports kept by package name; the .ts stays beside it for the bundler.
      const { code } = await transform(await readFile(source, 'utf8'), { loader: 'ts', format: 'esm' });
      await writeFile(join(project, name.replace(/\.ts$/, '.mjs')), code);
    }
  }, 600_000);

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('packs no tests, test helpers or fixtures', () => {
    for (const { name, files } of packed) {
      const testCode = files.filter((file) =>
        /\.test\.|(^|\/)(test|tests|__tests__|fixtures|__fixtures__)\/|oracle/i.test(file),
      );
      expect(testCode, name).toEqual([]);
    }
  });

  it('ships code that needs vitest or fast-check (optional peers) only in its testing export', async () => {
    for (const { name } of LIBRARIES) {
      const installed = join(project, 'node_modules', name);
      const shipped = (await readdir(installed, { recursive: true })).filter((file) =>
        /\.(js|ts)$/.test(file),
      );
      expect(shipped.length, name).toBeGreaterThan(0);
      for (const file of shipped) {
        if (/^(dist|src)\/testing\//.test(file)) continue;
        const text = await readFile(join(installed, file), 'utf8');
        expect(text, `${name}/${file}`).not.toMatch(/from ['"](vitest|fast-check)['"]/);
      }
    }
  });

  it('packs every file its package.json exports', () => {
    for (const { name, files, manifest } of packed) {
      const targets = exportTargets(manifest.exports);
      expect(targets, name).toContain('./dist/index.js');
      const missing = targets.filter((target) => !files.includes(`package/${target.slice('./'.length)}`));
      expect(missing, name).toEqual([]);
    }
  });

  it('resolves each library to its installed copy, not the workspace', async () => {
    for (const { name } of LIBRARIES) {
      const resolved = await node('--input-type=module', '-e', `console.log(import.meta.resolve('${name}'))`);
      const installed = pathToFileURL(join(project, 'node_modules', name, 'dist/index.js')).href;
      expect(resolved.trim()).toBe(installed);
    }
  });

  it('runs the storage quick start: a compare-and-swap round trip on a file:// store', async () => {
    const root = join(project, 'store');
    const stdout = await node('quick-start.mjs', pathToFileURL(root).href);
    expect(stdout).toMatch(/kind: 'object',\s+key: 'genomes\/ce\.fa',\s+size: 11,/);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('>chrI');
    // The swap won and the stale write lost: the file holds the swapped-in bytes.
    expect(await readFile(join(root, 'genomes/ce.fa'), 'utf8')).toBe('>chrI\nACGT\n');
  });

  it('runs the faas map-reduce example on the local pool, bundling from the installed packages', async () => {
    const stdout = await node('map-reduce.mjs', 'local');
    // 'the quick brown fox' + 'jumps over' + 'the lazy dog'
    expect(stdout.trim()).toBe('9 words in 3 texts, counted on local');
  });

  it('partitions a VCF into pieces adding up to bcftools count, then reuses the index sidecar', async () => {
    const vcf = join(project, 'calls.vcf.gz');
    await copyFile(SAMPLE_VCF, vcf);
    await copyFile(`${SAMPLE_VCF}.tbi`, `${vcf}.tbi`);
    const recordsPerPartition = (stdout: string) =>
      [...stdout.matchAll(/^vcf partition \d+: .*, (\d+) records$/gm)].map((match) => Number(match[1]));

    const first = await node('partition-a-file.mjs', vcf, 'count=4');
    const counts = recordsPerPartition(first);
    expect(counts).toHaveLength(4);
    const bcftools = Number((await runTool('bcftools', ['index', '--nrecords', vcf])).toString('utf8'));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(bcftools);
    expect(first).toContain('index built');

    const second = await node('partition-a-file.mjs', vcf, 'count=4');
    expect(recordsPerPartition(second)).toEqual(counts);
    expect(second).toContain('index sidecar');
  });

  it('embeds documents into a LanceDB table with functions bundled from the installed packages, then searches it', async () => {
    const documents = join(project, 'docs');
    await mkdir(documents);
    for (const name of ['gzip.1.txt', 'conmon-README.md']) {
      await copyFile(join(SAMPLE_DOCUMENTS, name), join(documents, name));
    }
    const table = pathToFileURL(join(project, 'db', 'docs')).href;
    const first = await node('ingest-and-search.mjs', `${documents}/`, table, 'how do I decompress a file');
    const [, inserted] = /^(\d+) new chunks, 0 already there/m.exec(first) ?? [];
    expect(Number(inserted)).toBeGreaterThan(10);
    // the best passage comes from the gzip manual page, not the README
    expect(first).toMatch(/^\d\.\d{4} {2}file:\/\/\S+\/docs\/gzip\.1\.txt/m);

    const second = await node('ingest-and-search.mjs', `${documents}/`, table, 'how do I decompress a file');
    expect(second).toContain(`0 new chunks, ${inserted} already there`);
  });

  it('starts the streams example broker on a file:// store, which kcat produces to and consumes from', async () => {
    const store = pathToFileURL(join(project, 'streams')).href;
    const broker = spawn(process.execPath, ['start-broker.mjs', store, '0'], {
      cwd: project,
      env: userEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    broker.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    try {
      const [line] = (await once(broker.stdout, 'data')) as [string];
      const [, address] = /^broker \d+ on (\S+), state in /.exec(line) ?? [];
      expect(address, line).toMatch(/^127\.0\.0\.1:\d+$/);
      await runTool('kcat', ['-b', address!, '-P', '-t', 'greetings', '-K:'], {
        input: 'k1:hello\nk2:world\n',
      });
      const read = await runTool('kcat', [
        ...['-b', address!, '-C', '-t', 'greetings', '-o', 'beginning', '-e', '-q', '-f', '%k=%s\n'],
      ]);
      expect(read.toString('utf8').trim().split('\n')).toEqual(['k1=hello', 'k2=world']);
    } finally {
      broker.kill('SIGTERM');
      await once(broker, 'exit');
    }
    expect(stdout).toContain('stopped: every acknowledged record is in the store');
  });
});
