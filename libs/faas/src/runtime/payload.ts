import type { ObjectStore } from '@isthmus/storage';
import { NoStorageError } from '../errors.js';
import type { Payload } from './protocol.js';
import { decodeValue, encodeValue, type Value } from './value-codec.js';

/** Where a payload may go when it is too large to travel inline. */
export interface PayloadTarget {
  store: ObjectStore | undefined;
  key: string;
  inlineLimitBytes: number;
}

/** Encodes an already-encoded value as a payload: inline when small, else written to the store. */
export async function encodedToPayload(encoded: string, target: PayloadTarget): Promise<Payload> {
  const bytes = Buffer.byteLength(encoded);
  if (bytes <= target.inlineLimitBytes) return { inline: encoded };
  if (!target.store) {
    throw new NoStorageError(
      `a payload of ${bytes} bytes exceeds the inline limit (${target.inlineLimitBytes}) and no storage was given`,
    );
  }
  await target.store.put(target.key, encoded, { contentType: 'application/json' });
  return { ref: target.key, bytes };
}

/** Encodes a value (see `encodeValue`) as a payload. */
export function toPayload(value: unknown, target: PayloadTarget, path: string): Promise<Payload> {
  return encodedToPayload(encodeValue(value, path), target);
}

/** Reads a payload back into a value, fetching it from the store when it is a reference. */
export async function fromPayload(
  payload: Payload,
  store: ObjectStore | undefined,
): Promise<{ value: Value; bytes: number }> {
  if ('inline' in payload)
    return { value: decodeValue(payload.inline), bytes: Buffer.byteLength(payload.inline) };
  if (!store)
    throw new NoStorageError(`payload ${payload.ref} is in object storage, but no store is configured`);
  const text = Buffer.from(await store.get(payload.ref)).toString('utf8');
  return { value: decodeValue(text), bytes: payload.bytes };
}

/** Encoded size of a payload in bytes. */
export function payloadBytes(payload: Payload): number {
  return 'inline' in payload ? Buffer.byteLength(payload.inline) : payload.bytes;
}
