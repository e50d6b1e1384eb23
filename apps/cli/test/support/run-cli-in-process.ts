import { PassThrough } from 'node:stream';
import { runCli } from '../../src/run-cli.js';

/** Runs the CLI in-process with captured output. */
export async function cli(...args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk) => out.push(chunk));
  stderr.on('data', (chunk) => err.push(chunk));
  const code = await runCli(args, { stdout, stderr });
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() };
}
