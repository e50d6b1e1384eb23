import { type LasLayout, POINT_FORMAT_BYTES } from './las-header.js';

/** One LAS point, with coordinates scaled to doubles and the fields its format has. */
export interface LasPoint {
  x: number;
  y: number;
  z: number;
  intensity: number;
  returnNumber: number;
  numberOfReturns: number;
  scanDirectionFlag: boolean;
  edgeOfFlightLine: boolean;
  classification: number;
  synthetic: boolean;
  keyPoint: boolean;
  withheld: boolean;
  /** Formats 6–10 only. */
  overlap?: boolean;
  /** Formats 6–10 only. */
  scannerChannel?: number;
  /** Degrees (formats 0–5 store whole degrees, 6–10 steps of 0.006°). */
  scanAngle: number;
  userData: number;
  pointSourceId: number;
  gpsTime?: number;
  red?: number;
  green?: number;
  blue?: number;
  nir?: number;
  /** Bytes after the format's fields (described by an extra-bytes VLR). */
  extraBytes?: Uint8Array;
}

/** Where the optional fields of a point format sit in its records (undefined: absent). */
export interface PointFieldOffsets {
  extended: boolean;
  gpsTime: number | undefined;
  rgb: number | undefined;
  nir: number | undefined;
  baseBytes: number;
}

/** The field offsets of a point format (0–10). */
export function pointFieldOffsets(pointFormat: number): PointFieldOffsets {
  const extended = pointFormat >= 6;
  const gpsTime = extended ? 22 : [1, 3, 4, 5].includes(pointFormat) ? 20 : undefined;
  const rgbAt: Record<number, number> = { 2: 20, 3: 28, 5: 28, 7: 30, 8: 30, 10: 30 };
  return {
    extended,
    gpsTime,
    rgb: rgbAt[pointFormat],
    nir: pointFormat === 8 || pointFormat === 10 ? 36 : undefined,
    baseBytes: POINT_FORMAT_BYTES[pointFormat as 0],
  };
}

/** The scaled X and Y of the record at `at` (what spatial filters look at). */
export function pointXY(view: DataView, at: number, layout: LasLayout): [x: number, y: number] {
  return [
    view.getInt32(at, true) * layout.scale[0]! + layout.offset[0]!,
    view.getInt32(at + 4, true) * layout.scale[1]! + layout.offset[1]!,
  ];
}

/** The return number of the record at `at` (bits 0–2 of byte 14, or 0–3 for formats 6–10). */
export function pointReturnNumber(view: DataView, at: number, extended: boolean): number {
  const bits = view.getUint8(at + 14);
  return extended ? bits & 0x0f : bits & 0x07;
}

/** Decodes the record at `at` of `view`. */
export function decodeLasPoint(
  view: DataView,
  at: number,
  layout: LasLayout,
  fields: PointFieldOffsets,
): LasPoint {
  const returns = view.getUint8(at + 14);
  const flags = view.getUint8(at + 15);
  const point: LasPoint = {
    x: view.getInt32(at, true) * layout.scale[0]! + layout.offset[0]!,
    y: view.getInt32(at + 4, true) * layout.scale[1]! + layout.offset[1]!,
    z: view.getInt32(at + 8, true) * layout.scale[2]! + layout.offset[2]!,
    intensity: view.getUint16(at + 12, true),
    returnNumber: 0,
    numberOfReturns: 0,
    scanDirectionFlag: false,
    edgeOfFlightLine: false,
    classification: 0,
    synthetic: false,
    keyPoint: false,
    withheld: false,
    scanAngle: 0,
    userData: view.getUint8(at + 17),
    pointSourceId: 0,
  };
  if (fields.extended) {
    point.returnNumber = returns & 0x0f;
    point.numberOfReturns = returns >> 4;
    point.synthetic = (flags & 0x01) !== 0;
    point.keyPoint = (flags & 0x02) !== 0;
    point.withheld = (flags & 0x04) !== 0;
    point.overlap = (flags & 0x08) !== 0;
    point.scannerChannel = (flags >> 4) & 0x03;
    point.scanDirectionFlag = (flags & 0x40) !== 0;
    point.edgeOfFlightLine = (flags & 0x80) !== 0;
    point.classification = view.getUint8(at + 16);
    point.scanAngle = view.getInt16(at + 18, true) * 0.006;
    point.pointSourceId = view.getUint16(at + 20, true);
  } else {
    point.returnNumber = returns & 0x07;
    point.numberOfReturns = (returns >> 3) & 0x07;
    point.scanDirectionFlag = (returns & 0x40) !== 0;
    point.edgeOfFlightLine = (returns & 0x80) !== 0;
    point.classification = flags & 0x1f;
    point.synthetic = (flags & 0x20) !== 0;
    point.keyPoint = (flags & 0x40) !== 0;
    point.withheld = (flags & 0x80) !== 0;
    point.scanAngle = view.getInt8(at + 16);
    point.pointSourceId = view.getUint16(at + 18, true);
  }
  if (fields.gpsTime !== undefined) point.gpsTime = view.getFloat64(at + fields.gpsTime, true);
  if (fields.rgb !== undefined) {
    point.red = view.getUint16(at + fields.rgb, true);
    point.green = view.getUint16(at + fields.rgb + 2, true);
    point.blue = view.getUint16(at + fields.rgb + 4, true);
  }
  if (fields.nir !== undefined) point.nir = view.getUint16(at + fields.nir, true);
  if (layout.recordLength > fields.baseBytes) {
    const start = view.byteOffset + at + fields.baseBytes;
    point.extraBytes = new Uint8Array(
      view.buffer.slice(start, start + layout.recordLength - fields.baseBytes),
    );
  }
  return point;
}
