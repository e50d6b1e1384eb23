import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The path of a service script beside this package (`rgw.sh`, `slurm.sh`). */
export function serviceScript(name: string): string {
  return fileURLToPath(new URL(`../${name}`, import.meta.url));
}

/**
 * Runs `bash <script> <command>` (start/stop), failing with the script's own messages. Starting
 * may install Debian packages on first use, so the time limit is generous.
 */
export async function runServiceScript(script: string, command: 'start' | 'stop'): Promise<void> {
  try {
    await run('bash', [script, command], { maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`${script} ${command} failed:\n${stderr ?? error}`);
  }
}

/** The variables `bash <script> env` exports, as a map. */
export async function serviceEnv(script: string): Promise<Record<string, string>> {
  const { stdout } = await run('bash', [script, 'env']);
  return Object.fromEntries(
    [...stdout.matchAll(/^export (\w+)=['"]?([^'"\n]*)['"]?$/gm)].map((match) => [match[1]!, match[2]!]),
  );
}
