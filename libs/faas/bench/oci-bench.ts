// OCI image benchmark: how long buildah takes to build a bundle's image, how long `podman run`
// takes to a first answer (the container's cold start), and warm requests to functions-framework
// in the container vs the same runtime started on the host (the baseline), interleaved.
//   node --conditions=@isthmus/source --import tsx libs/faas/bench/oci-bench.ts [--quick]
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtimeArgs } from '../src/backends/http/http-runtimes.js';
import { acceptsConnections, RuntimeProcess } from '../src/backends/http/runtime-process.js';
import { buildBundle, buildOciImage, type OciImage } from '../src/index.js';
import { runOciTool } from '../src/packaging/oci/oci-tools.js';
import { PROTOCOL_VERSION, type TaskEnvelope } from '../src/runtime/protocol.js';
import { postEnvelope, runOciContainer } from '../test/support/oci-container.js';
import { distribution, interleave, ratioLine, timeEach } from './measure.js';

const quick = process.argv.includes('--quick');
const BUILDS = quick ? 1 : 3;
const COLD_STARTS = quick ? 1 : 5;
const CALLS = quick ? 100 : 1000;
const ROUNDS = quick ? 2 : 5;

const NOOP: TaskEnvelope = {
  protocol: PROTOCOL_VERSION,
  taskId: 'bench.1',
  fn: 'noop',
  input: { inline: '1' },
  inlineLimitBytes: 65536,
  resultKey: 'r',
};

const dir = await mkdtemp(join(tmpdir(), 'isthmus-faas-oci-bench-'));
const tag = `localhost/isthmus-oci-bench:${randomBytes(4).toString('hex')}`;
let image: OciImage | undefined;
try {
  const bundle = await buildBundle({
    entry: new URL('./functions.ts', import.meta.url).pathname,
    outDir: join(dir, 'bundle'),
  });
  process.stderr.write(`[bench] oci: ${BUILDS} image build(s), ${COLD_STARTS} cold start(s)\n`);
  const builds: number[] = [];
  for (let build = 0; build < BUILDS; build++) {
    const started = performance.now();
    image = await buildOciImage({ bundle, tag }); // the same tag: each build replaces the last
    builds.push((performance.now() - started) * 1000);
  }
  const built = image!;

  const cold: number[] = [];
  for (let round = 0; round < COLD_STARTS; round++) {
    const started = performance.now();
    const container = await runOciContainer(built.imageId, NOOP);
    cold.push((performance.now() - started) * 1000);
    await container.stop();
  }

  process.stderr.write(
    `[bench] oci: ${ROUNDS} rounds × ${CALLS} warm calls, host and container interleaved\n`,
  );
  const container = await runOciContainer(built.imageId, NOOP);
  const host = await RuntimeProcess.start(
    runtimeArgs('functions-framework', 'http', bundle),
    {},
    acceptsConnections,
  );
  let warm: { baseline: number[]; subject: number[] };
  try {
    await timeEach(100, () => postEnvelope(host.port, NOOP)); // warm both
    await timeEach(100, () => postEnvelope(container.port, NOOP));
    warm = await interleave(
      ROUNDS,
      () => timeEach(CALLS, () => postEnvelope(host.port, NOOP)),
      () => timeEach(CALLS, () => postEnvelope(container.port, NOOP)),
    );
  } finally {
    host.stop();
    await container.stop();
  }

  const build = distribution(builds);
  const coldStart = distribution(cold);
  const onHost = distribution(warm.baseline);
  const inContainer = distribution(warm.subject);
  console.log(
    `OCI image (buildah FROM scratch, functions-framework), ${(built.sizeBytes / 1e6).toFixed(1)} MB`,
  );
  console.log(`  buildah build                       p50 ${(build.p50 / 1000).toFixed(0)} ms (of ${BUILDS})`);
  console.log(
    `  podman run → first answer           p50 ${(coldStart.p50 / 1000).toFixed(0)} ms (of ${COLD_STARTS})`,
  );
  console.log(
    `  warm POST, runtime on the host      p50 ${(onHost.p50 / 1000).toFixed(2)} ms   p99 ${(onHost.p99 / 1000).toFixed(2)} ms`,
  );
  console.log(
    `  warm POST, runtime in the container p50 ${(inContainer.p50 / 1000).toFixed(2)} ms   p99 ${(inContainer.p99 / 1000).toFixed(2)} ms`,
  );
  console.log(ratioLine('  container warm p50 vs host', inContainer.p50 / onHost.p50));
  console.log(ratioLine('  container warm p99 vs host', inContainer.p99 / onHost.p99));
} finally {
  if (image) await runOciTool('podman', ['rmi', '--force', image.imageId]).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
