// Test helper: an independent LAS reader in Debian's Python (stdlib struct only), the oracle for
// the point-cloud tests (no Debian package reads LAS/LAZ on bookworm), run with `pythonJson` of
// @isthmus/fixtures.
import { pythonJson } from '@isthmus/fixtures';

const SCRIPT = `
import json, struct, sys
data = open(sys.argv[1], 'rb').read()
assert data[:4] == b'LASF', 'not LAS'
minor = data[25]
header_size, = struct.unpack_from('<H', data, 94)
offset, = struct.unpack_from('<I', data, 96)
point_format = data[104] & 0x3f
assert data[104] & 0xc0 == 0, 'compressed'
record_length, = struct.unpack_from('<H', data, 105)
count, = struct.unpack_from('<I', data, 107)
if minor >= 4 and header_size >= 375:
    count, = struct.unpack_from('<Q', data, 247)
scale = struct.unpack_from('<3d', data, 131)
shift = struct.unpack_from('<3d', data, 155)
maxx, minx, maxy, miny, maxz, minz = struct.unpack_from('<6d', data, 179)
classes = {}
intensity = 0
lo = [float('inf')] * 3
hi = [float('-inf')] * 3
for i in range(count):
    at = offset + i * record_length
    raw = struct.unpack_from('<3iH', data, at)
    for axis in range(3):
        value = raw[axis] * scale[axis] + shift[axis]
        lo[axis] = min(lo[axis], value)
        hi[axis] = max(hi[axis], value)
    intensity += raw[3]
    c = data[at + 16] if point_format >= 6 else data[at + 15] & 0x1f
    classes[str(c)] = classes.get(str(c), 0) + 1
print(json.dumps({
    'pointCount': count,
    'pointFormat': point_format,
    'dataBytes': len(data) - offset,
    'recordLength': record_length,
    'classes': classes,
    'intensitySum': intensity,
    'min': lo if count else [0, 0, 0],
    'max': hi if count else [0, 0, 0],
    'headerBounds': [minx, miny, minz, maxx, maxy, maxz],
}))
`;

/** What the Python oracle reads from a LAS file. */
export interface LasOracleSummary {
  pointCount: number;
  pointFormat: number;
  dataBytes: number;
  recordLength: number;
  /** Points per classification code. */
  classes: Record<string, number>;
  intensitySum: number;
  min: number[];
  max: number[];
  headerBounds: number[];
}

/** Reads a LAS file with the Python oracle. */
export function pythonLasSummary(path: string): Promise<LasOracleSummary> {
  return pythonJson<LasOracleSummary>(SCRIPT, path);
}
