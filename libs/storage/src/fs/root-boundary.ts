import { type BigIntStats, constants } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, readlink, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { PathEscapeError } from '../errors.js';
import { errnoCode } from './fs-errors.js';

/** Where `RootBoundary.forWrite` says a key is to be written. */
export interface WritePath {
  /** The key's path below its parent directory's real path. */
  path: string;
  /** Whether that parent directory exists yet (a put creates it, a delete has nothing to do). */
  parentExists: boolean;
}

/**
 * Keeps every path a file store touches inside the real path of its root. A key's path is
 * resolved the way the operating system follows it, symbolic links included; a link that leads
 * out of the root, as a parent directory or as the object itself, dangling or not, makes the
 * operation fail with `PathEscapeError` before anything outside is read or written. Links that
 * stay inside the root are followed. The fast paths add no call to a read of a key at the top of
 * the root (its final component is opened with O_NOFOLLOW) and one `realpath` of the parent
 * directory to deeper keys; a write adds an `lstat` of the target to that. The root's own real
 * path is resolved once and cached.
 *
 * Checks happen before each operation: a link planted between the check and the operation itself
 * (a race against the store's own calls) is not caught.
 */
export class RootBoundary {
  #realRoot: string | undefined;

  /** Guards the store rooted at the absolute path `root` (which need not exist yet). */
  constructor(readonly root: string) {}

  /** The root's real path, or undefined while the root does not exist (with `create`: creates it). */
  async realRoot(create = false): Promise<string | undefined> {
    if (this.#realRoot !== undefined) return this.#realRoot;
    if (create) await mkdir(this.root, { recursive: true });
    try {
      this.#realRoot = await realpath(this.root);
    } catch (error) {
      if (!create && isMissing(error)) return undefined;
      throw error;
    }
    return this.#realRoot;
  }

  /**
   * Opens the existing object `key` for reading. Fails with the file system's ENOENT when there is
   * none, and with `PathEscapeError` when its path leads out of the root.
   */
  async openForRead(key: string): Promise<FileHandle> {
    const path = await this.#pathForRead(key);
    try {
      return await open(path, READ_NO_FOLLOW);
    } catch (error) {
      if (!isLinkRefused(error)) throw error;
      return open(await this.#linkedForRead(key, path), 'r');
    }
  }

  /** Like `openForRead`, for the object's metadata: `stat` of the file `key` names. */
  async statForRead(key: string): Promise<BigIntStats> {
    const path = await this.#pathForRead(key);
    const info = await lstat(path, { bigint: true });
    return info.isSymbolicLink() ? stat(await this.#linkedForRead(key, path), { bigint: true }) : info;
  }

  /** `key`'s path below the real path of its parent directory, which must lie inside the root. */
  async #pathForRead(key: string): Promise<string> {
    const segments = key.split('/');
    const name = segments.pop()!;
    const root = await this.realRoot();
    if (root === undefined) throw missing(this.root);
    if (segments.length === 0) return join(root, name);
    let parent: string;
    try {
      parent = await realpath(join(this.root, ...segments));
    } catch (error) {
      if (isMissing(error)) await this.#follow(key, segments, false); // a dangling link out is an escape
      throw error;
    }
    if (!isInside(parent, root)) throw new PathEscapeError(key, `its directory resolves to ${parent}`);
    return join(parent, name);
  }

  /** The real target of the link at `path` that `key` names, which must lie inside the root. */
  async #linkedForRead(key: string, path: string): Promise<string> {
    const target = await this.#assertLinkInside(key, path);
    if (target === undefined) throw missing(path);
    return target;
  }

  /**
   * Where to write (or delete) `key`: below the real path of its parent directory, which must lie
   * inside the root (a missing one is created there by the caller). A final component that is a
   * link is accepted only if it resolves, or, dangling, points inside the root.
   */
  async forWrite(key: string): Promise<WritePath> {
    const segments = key.split('/');
    const name = segments.pop()!;
    let parent: string | undefined;
    if (segments.length === 0) {
      parent = await this.realRoot(true);
    } else {
      try {
        parent = await realpath(join(this.root, ...segments));
      } catch (error) {
        if (!isMissing(error)) throw error;
        const reached = await this.#follow(key, segments, true);
        return { path: join(reached.real, ...reached.missing, name), parentExists: false };
      }
      const root = await this.realRoot();
      if (root === undefined || !isInside(parent, root)) {
        throw new PathEscapeError(key, `its directory resolves to ${parent}`);
      }
    }
    const path = join(parent!, name);
    const info = await unlessMissing(lstat(path));
    if (info?.isSymbolicLink()) await this.#assertLinkInside(key, path);
    return { path, parentExists: true };
  }

  /** The real path of the directory listing `dirKey` (`''` or ending in `/`); undefined when missing or outside. */
  async forList(dirKey: string): Promise<string | undefined> {
    const root = await this.realRoot();
    if (root === undefined || dirKey === '') return root;
    const real = await unlessMissing(realpath(join(this.root, dirKey)));
    return real !== undefined && isInside(real, root) ? real : undefined;
  }

  /** The real path a link met while listing resolves to, if it exists inside the root. */
  async linkTarget(linkPath: string): Promise<string | undefined> {
    const root = await this.realRoot();
    const real = await unlessMissing(realpath(linkPath));
    return root !== undefined && real !== undefined && isInside(real, root) ? real : undefined;
  }

  /**
   * The slow path, for paths that do not fully exist: follows `segments` below the root one at a
   * time and throws `PathEscapeError` at the first link that leads out. Returns the real path
   * reached and the segments missing below it (a dangling link inside the root counts as missing).
   */
  async #follow(
    key: string,
    segments: string[],
    createRoot: boolean,
  ): Promise<{ real: string; missing: string[] }> {
    const root = await this.realRoot(createRoot);
    if (root === undefined) return { real: this.root, missing: segments };
    let real = root;
    for (const [index, segment] of segments.entries()) {
      const next = join(real, segment);
      const info = await unlessMissing(lstat(next));
      if (info === undefined) return { real, missing: segments.slice(index) };
      if (!info.isSymbolicLink()) {
        real = next;
        continue;
      }
      const target = await this.#assertLinkInside(key, next);
      if (target === undefined) return { real, missing: segments.slice(index) };
      real = target;
    }
    return { real, missing: [] };
  }

  /**
   * Throws `PathEscapeError` unless the link at `linkPath` resolves inside the root, or, when
   * dangling (or part of a cycle), points inside it; returns its real target (undefined when dangling).
   */
  async #assertLinkInside(key: string, linkPath: string): Promise<string | undefined> {
    const root = (await this.realRoot())!;
    const real = await unlessMissing(realpath(linkPath));
    const pointsTo = real ?? resolve(linkPath, '..', await readlink(linkPath));
    if (!isInside(pointsTo, root)) {
      throw new PathEscapeError(key, `the link ${linkPath} leads to ${pointsTo}`);
    }
    return real;
  }
}

/** Open flags of a read that refuses to follow a final symbolic link (which then fails with ELOOP). */
const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;

/** Whether `open` failed because O_NOFOLLOW met a symbolic link (ELOOP; EMLINK on FreeBSD). */
function isLinkRefused(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ELOOP' || code === 'EMLINK';
}

/** An ENOENT error, as the file system raises it, for a path found missing by following links. */
function missing(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, '${path}'`), { code: 'ENOENT', path });
}

/** What `operation` gives, or undefined when its path does not resolve to an existing file (`isMissing`). */
async function unlessMissing<T>(operation: Promise<T>): Promise<T | undefined> {
  try {
    return await operation;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Whether a path does not resolve to an existing file: missing, below a file, or a cycle of links. */
function isMissing(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}

function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
