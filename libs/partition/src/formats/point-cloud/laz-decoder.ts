// laz-perf's web build: its Node build finds its .wasm through __dirname (which a bundled ESM
// file lacks) and installs process-wide exception handlers; the web build takes the bytes we hand it.
import { createLazPerf } from 'laz-perf/lib/web/index.js';

/** What this module uses of laz-perf's Emscripten module. */
interface LazPerfModule {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  ChunkDecoder: new () => {
    open(pointFormat: number, recordLength: number, pointer: number): void;
    getPoint(pointer: number): void;
    delete(): void;
  };
}

let lazPerf: Promise<LazPerfModule> | undefined;

/** laz-perf, instantiated once per process from the base64 copy of its WebAssembly module. */
function loadLazPerf(): Promise<LazPerfModule> {
  lazPerf ??= (async () => {
    const { LAZ_PERF_WASM_BASE64 } = await import('./laz-perf-wasm.generated.js');
    const wasmBinary = Buffer.from(LAZ_PERF_WASM_BASE64, 'base64');
    const factory = createLazPerf as unknown as (options: object) => Promise<LazPerfModule>;
    // The web build refuses to start unless it sees a browser; it only checks, synchronously.
    const global = globalThis as { window?: unknown };
    const hadWindow = 'window' in global;
    if (!hadWindow) global.window = globalThis;
    let ready: Promise<LazPerfModule>;
    try {
      ready = factory({ wasmBinary });
    } finally {
      if (!hadWindow) delete global.window;
    }
    return ready;
  })();
  return lazPerf;
}

/**
 * Decompresses the first `count` points of one LAZ chunk (each chunk decodes on its own) into
 * `count × recordLength` bytes of uncompressed LAS records.
 */
export async function decompressLazChunk(
  chunk: Uint8Array,
  pointFormat: number,
  recordLength: number,
  count: number,
): Promise<Uint8Array> {
  const module = await loadLazPerf();
  const records = new Uint8Array(count * recordLength);
  const chunkPointer = module._malloc(chunk.length);
  const pointPointer = module._malloc(recordLength);
  const decoder = new module.ChunkDecoder();
  try {
    module.HEAPU8.set(chunk, chunkPointer);
    decoder.open(pointFormat, recordLength, chunkPointer);
    for (let i = 0; i < count; i++) {
      decoder.getPoint(pointPointer);
      records.set(module.HEAPU8.subarray(pointPointer, pointPointer + recordLength), i * recordLength);
    }
  } finally {
    decoder.delete();
    module._free(pointPointer);
    module._free(chunkPointer);
  }
  return records;
}
