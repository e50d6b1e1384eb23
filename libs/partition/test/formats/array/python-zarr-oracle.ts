// Test helper: Debian's Python zarr 2.13 + numpy, the independent reader of Zarr v2 stores (the
// samples and what toFile writes): per chunk region, the sum and SHA-1 of its C-order bytes in
// native (little-endian) order; and the writer of a store using the v2 features the samples lack.
import { DEBIAN_PYTHON, pythonJson, runTool } from '@isthmus/fixtures';

const SCRIPT = `
import hashlib, itertools, json, math, sys
import numpy as np
import zarr
def arrays_of(path):
    node = zarr.open(path, mode='r')
    return [node] if isinstance(node, zarr.Array) else [a for _, a in sorted(node.arrays(recurse=True))]
stores = []
for path in sys.argv[1:]:
  out = []
  stores.append(out)
  for a in arrays_of(path):
      grid = [math.ceil(s / c) for s, c in zip(a.shape, a.chunks)]
      regions = []
      for index in itertools.product(*[range(g) for g in grid]):
          box = tuple(slice(i * c, min(s, (i + 1) * c)) for i, c, s in zip(index, a.chunks, a.shape))
          region = np.ascontiguousarray(a[box], dtype=a.dtype.newbyteorder('='))
          regions.append({'chunk': list(index), 'sum': region.sum().item(), 'sha1': hashlib.sha1(region.tobytes()).hexdigest()})
      out.append({'path': a.path, 'shape': list(a.shape), 'chunks': list(a.chunks), 'dtype': str(a.dtype),
                  'initialized': a.nchunks_initialized, 'regions': regions})
print(json.dumps(stores))
`;

/** One chunk's region as Python zarr reads it. */
export interface PythonRegion {
  chunk: number[];
  sum: number;
  sha1: string;
}

/** One array as Python zarr reads it. */
export interface PythonArray {
  /** Its path in the store (`''` for a store that is one array). */
  path: string;
  shape: number[];
  chunks: number[];
  dtype: string;
  /** Chunks stored (not fill value). */
  initialized: number;
  /** Every chunk region, in C order of the chunk grid. */
  regions: PythonRegion[];
}

/** Every array of each Zarr v2 store in `dirs` (local directories), read by Python zarr in one process. */
export function pythonZarrArrays(dirs: string[]): Promise<PythonArray[][]> {
  return pythonJson<PythonArray[][]>(SCRIPT, ...dirs);
}

const WRITER = `
import sys
import numpy as np, numcodecs, zarr
root = zarr.open_group(sys.argv[1], mode='w')
root.create_group('images')
nested = zarr.create(shape=(37, 23), chunks=(10, 8), dtype='>i2', order='F', compressor=numcodecs.Zlib(level=3),
                     fill_value=-7, store=zarr.NestedDirectoryStore(sys.argv[1]), path='images/nested_f')
nested[:20, :] = np.arange(20 * 23, dtype='>i2').reshape(20, 23) - 100
floats = root.create_dataset('images/floats', shape=(5, 6, 7), chunks=(2, 3, 7), dtype='<f8', compressor=numcodecs.GZip(level=1))
floats[:] = np.linspace(-1, 1, 210).reshape(5, 6, 7)
`;

/**
 * Writes, with Python zarr, a v2 store in `dir` with what the samples lack: nested groups
 * (`images/…`), `/`-separated chunk keys, Fortran order, a big-endian int16 array whose lower
 * half is never written (absent chunks, fill value -7), and float64 chunks.
 */
export async function pythonWriteZarrStore(dir: string): Promise<void> {
  await runTool(DEBIAN_PYTHON, ['-c', WRITER, dir]);
}
