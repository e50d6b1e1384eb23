import { type RecordBatch, tableFromArrays } from 'apache-arrow';
import type { LasLayout } from './las-header.js';
import { decodeLasPoint, type LasPoint, pointFieldOffsets } from './las-point.js';
import type { PointRun } from './point-reader.js';

/** The points of a run of records, decoded. */
export function* pointsOfRun(run: PointRun, layout: LasLayout): Iterable<LasPoint> {
  const fields = pointFieldOffsets(layout.pointFormat);
  const view = new DataView(run.records.buffer, run.records.byteOffset, run.records.byteLength);
  for (let i = 0; i < run.count; i++) yield decodeLasPoint(view, i * layout.recordLength, layout, fields);
}

type NumberColumn = Float64Array | Float32Array | Uint16Array | Uint8Array;

/**
 * A run of records as one Arrow record batch: typed columns for the numbers (x, y, z as
 * doubles), booleans for the flags, and the optional columns of the point format.
 */
export function batchOfRun(run: PointRun, layout: LasLayout): RecordBatch {
  const n = run.count;
  const fields = pointFieldOffsets(layout.pointFormat);
  const numbers: Record<string, NumberColumn> = {
    x: new Float64Array(n),
    y: new Float64Array(n),
    z: new Float64Array(n),
    intensity: new Uint16Array(n),
    returnNumber: new Uint8Array(n),
    numberOfReturns: new Uint8Array(n),
    classification: new Uint8Array(n),
    scanAngle: new Float32Array(n),
    userData: new Uint8Array(n),
    pointSourceId: new Uint16Array(n),
    ...(fields.gpsTime === undefined ? {} : { gpsTime: new Float64Array(n) }),
    ...(fields.rgb === undefined
      ? {}
      : { red: new Uint16Array(n), green: new Uint16Array(n), blue: new Uint16Array(n) }),
    ...(fields.nir === undefined ? {} : { nir: new Uint16Array(n) }),
  };
  const flags: Record<string, boolean[]> = {
    synthetic: [],
    keyPoint: [],
    withheld: [],
    scanDirectionFlag: [],
    edgeOfFlightLine: [],
  };
  let i = 0;
  for (const point of pointsOfRun(run, layout)) {
    for (const [name, column] of Object.entries(numbers)) column[i] = point[name as keyof LasPoint] as number;
    for (const [name, column] of Object.entries(flags)) column.push(point[name as keyof LasPoint] as boolean);
    i++;
  }
  const [batch] = tableFromArrays({ ...numbers, ...flags }).batches;
  return batch!;
}
