import { NotSerializableError } from '../errors.js';

/** Values that cross between the client and a function runtime: JSON plus byte arrays. */
export type Value = null | boolean | number | string | Uint8Array | Value[] | { [key: string]: Value };

const BYTES_TAG = '$isthmus:bytes';

/**
 * Encodes a value as JSON text. Byte arrays travel as base64. Everything JSON would silently
 * change or drop (functions, symbols, bigint, undefined, NaN/Infinity, Dates, Maps, Sets, class
 * instances, cycles) throws `NotSerializableError` naming the path of the offending value.
 */
export function encodeValue(value: unknown, root = 'value'): string {
  // A missing argument (undefined) travels as null, as JSON would send an absent property.
  return JSON.stringify(value === undefined ? null : toJson(value, root, new Set()));
}

/** Decodes what `encodeValue` produced. */
export function decodeValue(text: string): Value {
  return JSON.parse(text, (_key, value) =>
    value !== null && typeof value === 'object' && typeof value[BYTES_TAG] === 'string'
      ? new Uint8Array(Buffer.from(value[BYTES_TAG], 'base64'))
      : value,
  );
}

function toJson(value: unknown, path: string, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new NotSerializableError(path, `${value} has no JSON form`);
      return value;
    case 'object':
      break;
    default:
      throw new NotSerializableError(path, `a ${typeof value} cannot cross to a function runtime`);
  }
  if (value === null) return null;
  if (value instanceof Uint8Array)
    return { [BYTES_TAG]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (ancestors.has(value)) throw new NotSerializableError(path, 'it refers to itself (a cycle)');
  const prototype = Object.getPrototypeOf(value);
  const isArray = Array.isArray(value);
  if (!isArray && prototype !== Object.prototype && prototype !== null) {
    const kind = value.constructor?.name ?? 'object';
    throw new NotSerializableError(
      path,
      `a ${kind} is not plain data (pass plain objects, arrays, strings, numbers, Uint8Array)`,
    );
  }
  ancestors.add(value);
  try {
    if (isArray) return value.map((item, index) => toJson(item, `${path}[${index}]`, ancestors));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue; // as JSON: an absent property
      out[key] = toJson(item, `${path}.${key}`, ancestors);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}
