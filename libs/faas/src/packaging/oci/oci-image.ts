import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_FILE, type Bundle } from '../../bundle/bundle.js';
import { BundleError } from '../../errors.js';
import { bundleFunctionsFramework } from './functions-framework-runtime.js';
import { IMAGE_NODE_PATH, stageNodeRuntime } from './node-rootfs.js';
import { requireOciTools, runOciTool } from './oci-tools.js';

/** The runtimes an image can serve a bundle with. */
export type OciRuntimeKind = 'functions-framework';

/** What to put in an image. */
export interface BuildOciImageOptions {
  /** The bundle to serve (from `buildBundle` or `loadBundle`). */
  bundle: Bundle;
  /** Name of the image in local container storage, e.g. `isthmus-fn:1` (`localhost/` is implied). */
  tag: string;
  /** The function runtime inside (default `functions-framework`, serving the bundle's `http` export). */
  runtime?: OciRuntimeKind;
}

/** An image built into the local container storage that buildah and podman share. */
export interface OciImage {
  tag: string;
  /** The image ID (sha256 hex of its config), as `podman run` takes it. */
  imageId: string;
  /** Size of the image in local storage, bytes (uncompressed). */
  sizeBytes: number;
}

/** The port the image serves on unless `PORT` is set. */
export const OCI_IMAGE_PORT = 8080;
/** Image labels: the sha256 of the bundle served, its functions, and the runtime. */
export const OCI_LABEL_BUNDLE_HASH = 'dev.isthmus.bundle.hash';
export const OCI_LABEL_FUNCTIONS = 'dev.isthmus.bundle.functions';
export const OCI_LABEL_RUNTIME = 'dev.isthmus.runtime';

const APP_DIR = '/app';
const BUNDLE_DIR = `${APP_DIR}/bundle`;
const RUNTIME_FILE = `${APP_DIR}/runtime/functions-framework.cjs`;
/** `nobody`: the server needs no privileges inside the container. */
const USER = '65534:65534';

/**
 * Builds an OCI image with buildah, `FROM scratch`: the host's node with its shared libraries and
 * dynamic loader, the bundle in `/app/bundle`, and Google's functions-framework (bundled into one
 * file) serving the bundle's `http` export on port 8080 (or `$PORT`). The same image serves
 * CloudEvents with `-e FUNCTION_TARGET=cloudEvent -e FUNCTION_SIGNATURE_TYPE=cloudevent`.
 * Needs buildah (rootful); throws `BackendUnavailableError` when it is missing, `BundleError` when
 * the bundle or the build fails.
 */
export async function buildOciImage(options: BuildOciImageOptions): Promise<OciImage> {
  const { bundle, tag } = options;
  const runtime = options.runtime ?? 'functions-framework';
  if (runtime !== 'functions-framework') throw new BundleError(`no OCI image runtime "${runtime}"`);
  requireOciTools(['buildah']);
  await stat(join(bundle.dir, BUNDLE_FILE)).catch((error: unknown) => {
    throw new BundleError(`${bundle.dir} is not a built bundle (no ${BUNDLE_FILE})`, { cause: error });
  });

  const staging = await mkdtemp(join(tmpdir(), 'isthmus-oci-'));
  const container = `isthmus-oci-build-${randomBytes(6).toString('hex')}`;
  let created = false;
  try {
    const rootfs = join(staging, 'rootfs');
    await stageNodeRuntime(rootfs);
    const ff = await bundleFunctionsFramework(join(rootfs, RUNTIME_FILE));
    await cp(bundle.dir, join(rootfs, BUNDLE_DIR), { recursive: true, dereference: true });
    await writeMinimalEtc(rootfs);

    await runOciTool('buildah', ['from', '--quiet', '--name', container, 'scratch']);
    created = true;
    await runOciTool('buildah', ['copy', '--quiet', container, `${rootfs}/`, '/']);
    await runOciTool('buildah', [
      'config',
      '--entrypoint',
      JSON.stringify([IMAGE_NODE_PATH, RUNTIME_FILE]),
      '--cmd',
      '[]',
      '--workingdir',
      APP_DIR,
      '--user',
      USER,
      '--port',
      `${OCI_IMAGE_PORT}/tcp`,
      '--env',
      `PORT=${OCI_IMAGE_PORT}`,
      '--env',
      'FUNCTION_TARGET=http',
      '--env',
      'FUNCTION_SIGNATURE_TYPE=http',
      '--env',
      `FUNCTION_SOURCE=${BUNDLE_DIR}`,
      '--env',
      'NODE_ENV=production',
      '--env',
      'PATH=/usr/local/bin:/usr/bin:/bin',
      '--label',
      `${OCI_LABEL_BUNDLE_HASH}=${bundle.hash}`,
      '--label',
      `${OCI_LABEL_FUNCTIONS}=${bundle.functions.join(',')}`,
      '--label',
      `${OCI_LABEL_RUNTIME}=functions-framework@${ff.version}`,
      '--label',
      `dev.isthmus.node.version=${process.version}`,
      '--created-by',
      'isthmus buildOciImage',
      container,
    ]);
    const previous = await imageIdOf(tag);
    const imageId = lastLine(await runOciTool('buildah', ['commit', '--quiet', '--rm', container, tag]));
    created = false;
    // The image the tag named before is left without a name: remove it unless a container or another tag uses it.
    if (previous && previous !== imageId)
      await runOciTool('buildah', ['rmi', previous]).catch(() => undefined);
    return { tag, imageId, sizeBytes: await imageSize(imageId) };
  } finally {
    if (created) await runOciTool('buildah', ['rm', container]).catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
  }
}

/** `/tmp` (sticky, world-writable) and the `root` and `nobody` accounts, for code that looks them up. */
async function writeMinimalEtc(rootfs: string): Promise<void> {
  await mkdir(join(rootfs, 'etc'), { recursive: true });
  await writeFile(
    join(rootfs, 'etc/passwd'),
    'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n',
  );
  await writeFile(join(rootfs, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
  await mkdir(join(rootfs, 'tmp'), { recursive: true });
  await chmod(join(rootfs, 'tmp'), 0o1777);
}

/** The ID of the image a tag names now, if any. */
async function imageIdOf(tag: string): Promise<string | undefined> {
  const id = await runOciTool('buildah', ['images', '--quiet', '--no-trunc', tag]).catch(() => '');
  return id ? lastLine(id).replace(/^sha256:/, '') : undefined;
}

/** Bytes of the image's uncompressed layers, config and manifest (what `podman images` reports, ±1 KB). */
async function imageSize(imageId: string): Promise<number> {
  const { Manifest } = JSON.parse(await runOciTool('buildah', ['inspect', '--type', 'image', imageId])) as {
    Manifest: string;
  };
  const manifest = JSON.parse(Manifest) as { config: { size: number }; layers: Array<{ size: number }> };
  return (
    manifest.layers.reduce((total, layer) => total + layer.size, 0) +
    manifest.config.size +
    Buffer.byteLength(Manifest)
  );
}

function lastLine(text: string): string {
  return text.split('\n').at(-1)!.trim();
}
