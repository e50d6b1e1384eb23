// Test helper: a Zarr v3 reader in Debian's Python that shares no code with the library or zarrita
// (Python zarr 2.13 cannot read v3): it follows each array's zarr.json by hand, opening the chunk
// files, cutting inner chunks out of shards by the shard index (its CRC-32C checked), undoing gzip
// with Python's gzip module and the `bytes` codec with numpy. Per chunk (inner chunk of a shard):
// its selection, and the sum and SHA-1 of its C-order values in native (little-endian) order.
import { pythonJson } from '@isthmus/fixtures';

const SCRIPT = `
import gzip, hashlib, itertools, json, math, os, struct, sys
import numpy as np

DTYPES = {'bool': '?', 'int8': 'i1', 'int16': 'i2', 'int32': 'i4', 'int64': 'i8', 'uint8': 'u1',
          'uint16': 'u2', 'uint32': 'u4', 'uint64': 'u8', 'float32': 'f4', 'float64': 'f8'}
MISSING = 2 ** 64 - 1

def crc32c(data):
    crc = 0xffffffff
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 & -(crc & 1))
    return crc ^ 0xffffffff

def undo(raw, codecs):
    """Undoes a codec chain down to the array->bytes codec: the bytes and their byte order."""
    order = '<'
    for codec in reversed(codecs):
        name, config = codec['name'], codec.get('configuration', {})
        if name == 'gzip':
            raw = gzip.decompress(raw)
        elif name == 'crc32c':
            raw, stored = raw[:-4], struct.unpack('<I', raw[-4:])[0]
            if crc32c(raw) != stored:
                raise SystemExit('CRC-32C mismatch')
        elif name == 'bytes':
            order = '>' if config.get('endian') == 'big' else '<'
        else:
            raise SystemExit('codec %s is not read by this oracle' % name)
    return raw, order

def chunk_file(array_dir, meta, index):
    encoding = meta.get('chunk_key_encoding', {'name': 'default'})
    default = encoding['name'] == 'default'
    separator = encoding.get('configuration', {}).get('separator', '/' if default else '.')
    parts = (['c'] if default else []) + [str(i) for i in index]
    key = separator.join(parts) if parts else '0'
    return os.path.join(array_dir, *key.split('/'))

def chunks_of(array_dir, meta):
    shape = meta['shape']
    outer = meta['chunk_grid']['configuration']['chunk_shape']
    dtype = DTYPES[meta['data_type']]
    fill = meta['fill_value']
    fill = float(fill) if isinstance(fill, str) else fill
    sharding = next((c['configuration'] for c in meta['codecs'] if c['name'] == 'sharding_indexed'), None)
    inner = sharding['chunk_shape'] if sharding else outer
    codecs = sharding['codecs'] if sharding else meta['codecs']
    per_shard = [o // i for o, i in zip(outer, inner)]
    found = {}
    for outer_index in itertools.product(*[range(math.ceil(s / o)) for s, o in zip(shape, outer)]):
        path = chunk_file(array_dir, meta, outer_index)
        data = open(path, 'rb').read() if os.path.exists(path) else None
        stored = {}
        if sharding and data is not None:
            count = math.prod(per_shard)
            size = 16 * count + (4 if any(c['name'] == 'crc32c' for c in sharding['index_codecs']) else 0)
            at_end = sharding.get('index_location', 'end') == 'end'
            index, order = undo(data[-size:] if at_end else data[:size], sharding['index_codecs'])
            entries = struct.unpack(order + '%dQ' % (2 * count), index)
            for k, inner_index in enumerate(itertools.product(*[range(p) for p in per_shard])):
                offset, length = entries[2 * k], entries[2 * k + 1]
                if offset != MISSING:
                    stored[inner_index] = data[offset:offset + length]
        elif data is not None:
            stored[tuple(0 for _ in shape)] = data
        for inner_index in itertools.product(*[range(p) for p in per_shard]):
            index = tuple(o * p + i for o, p, i in zip(outer_index, per_shard, inner_index))
            start = [i * c for i, c in zip(index, inner)]
            if any(b >= s for b, s in zip(start, shape)):
                continue
            raw = stored.get(inner_index)
            if raw is None:
                values = np.full(inner, fill, dtype=np.dtype(dtype))
            else:
                raw, order = undo(raw, codecs)
                values = np.frombuffer(raw, dtype=np.dtype(order + dtype)).reshape(inner)
            box = tuple(slice(0, min(c, s - b)) for c, s, b in zip(inner, shape, start))
            region = np.ascontiguousarray(values[box], dtype=values.dtype.newbyteorder('='))
            found[index] = {'chunk': list(index),
                            'selection': [[b, min(b + c, s)] for b, c, s in zip(start, inner, shape)],
                            'stored': raw is not None,
                            'sum': region.sum().item(), 'sha1': hashlib.sha1(region.tobytes()).hexdigest()}
    return [found[index] for index in sorted(found)]

stores = []
for root in sys.argv[1:]:
    arrays = []
    for folder, _, files in sorted(os.walk(root)):
        if 'zarr.json' not in files:
            continue
        meta = json.load(open(os.path.join(folder, 'zarr.json')))
        if meta.get('node_type') != 'array':
            continue
        path = os.path.relpath(folder, root)
        arrays.append({'path': '' if path == '.' else path, 'chunks': chunks_of(folder, meta)})
    stores.append(sorted(arrays, key=lambda array: array['path']))
print(json.dumps(stores))
`;

/** One chunk (inner chunk of a shard) as the Python v3 reader decodes it. */
export interface PythonV3Chunk {
  /** Its coordinates in the grid of (inner) chunks. */
  chunk: number[];
  /** The elements it covers, `[start, end)` per dimension, clipped to the array's shape. */
  selection: Array<[number, number]>;
  /** Whether the store holds it (else it reads as the fill value). */
  stored: boolean;
  sum: number;
  sha1: string;
}

/** One array of a Zarr v3 store as the Python v3 reader decodes it. */
export interface PythonV3Array {
  /** Its path in the store (`''` for a store that is one array). */
  path: string;
  /** Every chunk, in C order of the chunk grid. */
  chunks: PythonV3Chunk[];
}

/** Every array of each Zarr v3 store in `dirs` (local directories), decoded in one Python process. */
export function pythonZarrV3Arrays(dirs: string[]): Promise<PythonV3Array[][]> {
  return pythonJson<PythonV3Array[][]>(SCRIPT, ...dirs);
}
