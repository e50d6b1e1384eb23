import { spawn } from 'node:child_process';

/** What a kcat run printed and how it ended. */
export interface KcatResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/**
 * Runs Debian's `kcat` (librdkafka 2.0.2) against `bootstrap` with `args`, feeding `input` on stdin,
 * and fails the test if it has not ended within `timeoutMs`.
 */
export function kcat(bootstrap: string, args: string[], input = '', timeoutMs = 30_000): Promise<KcatResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', ['-b', bootstrap, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat ${args.join(' ')} did not end within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    child.stdin.end(input);
  });
}
