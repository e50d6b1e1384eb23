import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from '../../src/body.js';
import { FileObjectStore } from '../../src/fs/fs-store.js';
import type { ObjectStore } from '../../src/object-store.js';

/** Every entry below `dir` (links not followed), with each file's bytes and modification time. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isSymbolicLink()) entries[path] = `link to ${await readlink(path)}`;
    else if (entry.isFile())
      entries[path] = `${await readFile(path, 'utf8')} @${(await lstat(path)).mtimeMs}`;
    else entries[path] = 'directory';
  }
  return entries;
}

async function listKeys(store: ObjectStore, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  for await (const entry of store.list({ prefix })) if (entry.kind === 'object') keys.push(entry.key);
  return keys;
}

const ESCAPE = { code: 'ERR_STORAGE_PATH_ESCAPE' };

describe('FileObjectStore never follows a symbolic link out of its root', () => {
  let base: string;
  let root: string;
  let outside: string;
  let store: FileObjectStore;
  let before: Record<string, string>;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'isthmus-fs-links-'));
    root = join(base, 'root');
    outside = join(base, 'outside');
    await mkdir(join(outside, 'dir'), { recursive: true });
    await writeFile(join(outside, 'secret.txt'), 'outside file');
    await writeFile(join(outside, 'dir', 'inner.txt'), 'outside directory');
    await mkdir(join(root, 'nested'), { recursive: true });
    await writeFile(join(root, 'inside.txt'), 'inside');
    // Planted links: to a file, to a directory (at the top and one level down), and dangling.
    await symlink(join(outside, 'secret.txt'), join(root, 'file-link'));
    await symlink(join(outside, 'dir'), join(root, 'dir-link'));
    await symlink(join(outside, 'dir'), join(root, 'nested', 'dir-link'));
    await symlink('../outside/missing', join(root, 'dangling'));
    store = new FileObjectStore(root);
    before = await snapshot(outside);
  });
  afterEach(async () => {
    // Nothing outside the root was written, created, replaced or deleted.
    expect(await snapshot(outside)).toEqual(before);
    // and refused operations left no temporary or lock files inside it.
    expect(Object.keys(await snapshot(root)).filter((path) => path.includes('.isthmus-'))).toEqual([]);
    await rm(base, { recursive: true, force: true });
  });

  const cases = [
    { link: 'to a file', key: 'file-link', existing: 'file-link' },
    { link: 'to a directory', key: 'dir-link/new.txt', existing: 'dir-link/inner.txt' },
    {
      link: 'to a directory, below the top',
      key: 'nested/dir-link/new.txt',
      existing: 'nested/dir-link/inner.txt',
    },
    { link: 'that dangles, as the object', key: 'dangling', existing: 'dangling' },
    { link: 'that dangles, as a directory', key: 'dangling/new.txt', existing: 'dangling/new.txt' },
  ];

  describe.each(cases)('a link $link', ({ key, existing }) => {
    it('refuses reads with PathEscapeError', async () => {
      await expect(store.get(existing)).rejects.toMatchObject(ESCAPE);
      await expect(store.get(existing, { range: { offset: 0, length: 3 } })).rejects.toMatchObject(ESCAPE);
      await expect(store.getStream(existing)).rejects.toMatchObject(ESCAPE);
      await expect(store.head(existing)).rejects.toMatchObject(ESCAPE);
      await expect(store.copy(existing, 'copied.txt')).rejects.toMatchObject(ESCAPE);
      await expect(store.head('copied.txt')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
    });

    it('refuses writes with PathEscapeError, conditional and copies too', async () => {
      const { etag } = await store.head('inside.txt');
      await expect(store.put(key, 'planted')).rejects.toMatchObject(ESCAPE);
      await expect(store.put(existing, 'planted')).rejects.toMatchObject(ESCAPE);
      await expect(store.put(key, 'planted', { ifNoneMatch: '*' })).rejects.toMatchObject(ESCAPE);
      await expect(store.put(existing, 'planted', { ifMatch: etag })).rejects.toMatchObject(ESCAPE);
      await expect(store.copy('inside.txt', key)).rejects.toMatchObject(ESCAPE);
    });

    it('refuses deletes with PathEscapeError', async () => {
      await expect(store.delete(existing)).rejects.toMatchObject(ESCAPE);
      await expect(store.deleteMany(['inside.txt', existing])).rejects.toMatchObject(ESCAPE);
    });

    it('lists nothing through it', async () => {
      expect(await listKeys(store, existing)).toEqual([]);
      expect(await listKeys(store, key.slice(0, key.lastIndexOf('/') + 1) || key)).toEqual([]);
    });
  });

  it('lists only what lies inside, skipping every link that leads out', async () => {
    expect(await listKeys(store)).toEqual(['inside.txt']);
    const entries = [];
    for await (const entry of store.list({ delimiter: '/' })) entries.push(entry);
    expect(entries).toEqual([
      expect.objectContaining({ kind: 'object', key: 'inside.txt' }),
      { kind: 'prefix', prefix: 'nested/' },
    ]);
  });

  it('leaves the planted links in place', async () => {
    expect(await readlink(join(root, 'file-link'))).toBe(join(outside, 'secret.txt'));
    expect(await readlink(join(root, 'dangling'))).toBe('../outside/missing');
  });
});

describe('FileObjectStore follows symbolic links that stay inside its root', () => {
  let base: string;
  let root: string;
  let store: FileObjectStore;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'isthmus-fs-links-'));
    root = join(base, 'root');
    await mkdir(join(root, 'links'), { recursive: true });
    await mkdir(join(root, 'real'));
    await writeFile(join(root, 'target.txt'), 'linked');
    await writeFile(join(root, 'real', 'f.txt'), 'in a linked directory');
    await symlink(join(root, 'target.txt'), join(root, 'links', 'alias'));
    await symlink('real', join(root, 'alias-dir'));
    await symlink('..', join(root, 'links', 'loop'));
    store = new FileObjectStore(root);
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('reads a link to a file as that file, and lists it as an object', async () => {
    expect(Buffer.from(await store.get('links/alias')).toString()).toBe('linked');
    expect((await collect(await store.getStream('links/alias'))).toString()).toBe('linked');
    expect((await store.head('links/alias')).etag).toBe((await store.head('target.txt')).etag);
    expect(await listKeys(store, 'links/')).toEqual(['links/alias']);
  });

  it('replaces the link, not its target, on a put, and removes the link on a delete', async () => {
    await store.put('links/alias', 'new object');
    expect(Buffer.from(await store.get('links/alias')).toString()).toBe('new object');
    expect(await readFile(join(root, 'target.txt'), 'utf8')).toBe('linked');
    await symlink(join(root, 'target.txt'), join(root, 'links', 'second'));
    await store.delete('links/second');
    await expect(readlink(join(root, 'links', 'second'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(join(root, 'target.txt'), 'utf8')).toBe('linked');
  });

  it('reads and writes through a linked directory, lists it by its prefix, but never walks into it', async () => {
    expect(Buffer.from(await store.get('alias-dir/f.txt')).toString()).toBe('in a linked directory');
    await store.put('alias-dir/g.txt', 'written through the link');
    expect(await readFile(join(root, 'real', 'g.txt'), 'utf8')).toBe('written through the link');
    expect(await listKeys(store, 'alias-dir/')).toEqual(['alias-dir/f.txt', 'alias-dir/g.txt']);
    // A whole-store listing skips linked directories (`links/loop` points at the root: no cycle).
    expect(await listKeys(store)).toEqual(['links/alias', 'real/f.txt', 'real/g.txt', 'target.txt']);
    await store.delete('alias-dir/g.txt');
    await expect(stat(join(root, 'real', 'g.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('treats a cycle of links as missing, and lists around it', async () => {
    await symlink('cycle-b', join(root, 'cycle-a'));
    await symlink('cycle-a', join(root, 'cycle-b'));
    await expect(store.get('cycle-a')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
    await expect(store.head('cycle-a/below')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
    expect(await listKeys(store)).toEqual(['links/alias', 'real/f.txt', 'target.txt']);
    await store.put('cycle-a', 'an object now');
    expect(Buffer.from(await store.get('cycle-a')).toString()).toBe('an object now');
  });

  it('works through a root that is itself a link', async () => {
    const linkedRoot = join(base, 'root-link');
    await symlink(root, linkedRoot);
    const viaLink = new FileObjectStore(linkedRoot);
    await viaLink.put('fresh/object.txt', 'x');
    expect(await readFile(join(root, 'fresh', 'object.txt'), 'utf8')).toBe('x');
    expect(Buffer.from(await viaLink.get('links/alias')).toString()).toBe('linked');
    expect(await listKeys(viaLink, 'fresh/')).toEqual(['fresh/object.txt']);
    await viaLink.delete('fresh/object.txt');
    await expect(stat(join(root, 'fresh'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
