import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BackendUnavailableError, BundleError } from '../../errors.js';

/** The container tools images are built and run with. */
export type OciTool = 'buildah' | 'podman' | 'runc';

/** How to install the container tools on Debian/Ubuntu (what `install-deps.sh` beside this file runs). */
export const OCI_INSTALL_HINT =
  'install them with `apt-get install -y --no-install-recommends buildah podman runc` ' +
  '(or run libs/faas/src/packaging/oci/install-deps.sh), as root';

/**
 * `podman run` options this kind of machine needs: `runc` (crun refuses the hybrid cgroup v1
 * setup) and ulimits the sandbox can grant (podman's defaults are higher than it allows).
 */
export const PODMAN_RUN_WORKAROUNDS: readonly string[] = [
  '--runtime',
  'runc',
  '--ulimit',
  'nofile=1024:1024',
  '--ulimit',
  'nproc=1024:1024',
];

/** The path of an executable on `PATH`, or undefined. */
function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Checks that the container tools are installed; throws `BackendUnavailableError` naming the
 * missing ones and how to install them.
 */
export function requireOciTools(tools: readonly OciTool[]): void {
  const missing = tools.filter((tool) => !which(tool));
  if (missing.length > 0) {
    throw new BackendUnavailableError(`${missing.join(', ')} not found on PATH: ${OCI_INSTALL_HINT}`);
  }
}

/** Options of one container tool command. */
export interface OciCommandOptions {
  /** Kill the command after this long (default 120 s). */
  timeoutMs?: number;
}

/**
 * Runs `buildah …` or `podman …` and returns its standard output, trimmed. A tool that is not
 * installed throws `BackendUnavailableError` (with how to install it); a command that fails or
 * times out throws `BundleError` with the command line, exit code and the tail of its stderr.
 */
export function runOciTool(
  tool: Exclude<OciTool, 'runc'>,
  args: readonly string[],
  options: OciCommandOptions = {},
): Promise<string> {
  requireOciTools([tool]);
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    execFile(
      tool,
      [...args],
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout.trim());
          return;
        }
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        if (failure.code === 'ENOENT') {
          reject(new BackendUnavailableError(`${tool} not found: ${OCI_INSTALL_HINT}`, { cause: error }));
          return;
        }
        const how = failure.killed ? `was killed after ${timeoutMs} ms` : `exited with code ${failure.code}`;
        const detail = (stderr || stdout).trim().split('\n').slice(-15).join('\n');
        reject(new BundleError(`\`${[tool, ...args].join(' ')}\` ${how}:\n${detail}`, { cause: error }));
      },
    );
  });
}
