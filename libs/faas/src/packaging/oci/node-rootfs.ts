import { execFile } from 'node:child_process';
import { copyFile, mkdir, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { BundleError } from '../../errors.js';

const run = promisify(execFile);

/** Where node is in the image. */
export const IMAGE_NODE_PATH = '/usr/bin/node';

/** The host files a node binary needs to start in an empty root file system. */
export interface NodeRuntimeFiles {
  /** The node binary (symlinks resolved). */
  node: string;
  /** Shared libraries and the dynamic loader, at the paths the binary and the loader look them up. */
  libraries: string[];
}

/**
 * Lists the shared libraries (and the dynamic loader) of a node binary with `ldd`. A statically
 * linked node needs none; a library `ldd` cannot find throws `BundleError`.
 */
export async function nodeRuntimeFiles(nodePath: string = process.execPath): Promise<NodeRuntimeFiles> {
  const node = await realpath(nodePath);
  let output: string;
  try {
    output = (await run('ldd', [node], { encoding: 'utf8' })).stdout;
  } catch (error) {
    const stdout = String((error as { stdout?: string }).stdout ?? '');
    // ldd exits non-zero for a static binary ("not a dynamic executable").
    if (/not a dynamic executable|statically linked/.test(stdout + String(error))) {
      return { node, libraries: [] };
    }
    throw new BundleError(`cannot list the shared libraries of ${node} with ldd (libc-bin)`, {
      cause: error,
    });
  }
  const libraries: string[] = [];
  for (const line of output.split('\n')) {
    const text = line.trim();
    if (!text || text.startsWith('linux-vdso') || text.startsWith('linux-gate')) continue;
    if (/statically linked/.test(text)) continue;
    if (/=>\s*not found/.test(text)) {
      throw new BundleError(`${node} needs a shared library that is not installed: ${text}`);
    }
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
    const path = (text.includes('=>') ? text.split('=>')[1]! : text).trim().split(/\s+/)[0]!;
    if (isAbsolute(path)) libraries.push(path);
  }
  return { node, libraries };
}

/**
 * Copies the host's node, its shared libraries and the dynamic loader into `rootfs` (node at
 * `/usr/bin/node`, libraries at the paths `ldd` reported, symlinks resolved into files).
 */
export async function stageNodeRuntime(
  rootfs: string,
  nodePath: string = process.execPath,
): Promise<NodeRuntimeFiles> {
  const files = await nodeRuntimeFiles(nodePath);
  await copyInto(rootfs, files.node, IMAGE_NODE_PATH);
  for (const library of files.libraries) await copyInto(rootfs, await realpath(library), library);
  return files;
}

async function copyInto(rootfs: string, source: string, target: string): Promise<void> {
  const destination = join(rootfs, target);
  await mkdir(dirname(destination), { recursive: true });
  await copyFile(source, destination);
}
