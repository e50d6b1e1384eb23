import type { TestProject } from 'vitest/node';
import { startRgw } from './rgw.js';

/** Vitest global setup: starts the local S3 server once per run and provides its endpoint as `s3`. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('s3', await startRgw());
}
