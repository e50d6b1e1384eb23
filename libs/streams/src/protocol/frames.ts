import { MalformedMessageError, UnsupportedVersionError } from '../errors.js';
import { ApiKey } from './api-keys.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { decodeMessage, encodeMessage, isFlexible, type MessageBody } from './message-codec.js';
import type { ApiDefinition } from './message-definition.js';
import { apiDefinitions } from './messages/index.js';

/*
 * Framing: every request and response is an int32 size, then the header, then the body.
 *   request header v1: apiKey int16, apiVersion int16, correlationId int32, clientId nullable string
 *   request header v2: v1 + tagged fields (clientId stays a non-compact string)
 *   response header v0: correlationId int32; v1: v0 + tagged fields
 * Flexible versions of a message use header v2 (request) / v1 (response), except that ApiVersions
 * responses always use v0, so a client can read one whatever version it asked for.
 */
const SIZE_PREFIX = 4;

/** The header of one request, and where its body starts in the frame. */
export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  /** Offset of the body in the frame the header was read from. */
  readonly bodyOffset: number;
}

/** A decoded request: its header and body. */
export interface DecodedRequest {
  readonly header: RequestHeader;
  readonly body: MessageBody;
}

function definitionOf(apiKey: number, apiVersion: number): ApiDefinition {
  const definition = apiDefinitions.get(apiKey);
  if (!definition) throw new UnsupportedVersionError(`api key ${apiKey} v${apiVersion} is not supported`);
  return definition;
}

function usesFlexibleRequestHeader(apiKey: number, apiVersion: number): boolean {
  const definition = apiDefinitions.get(apiKey);
  return definition !== undefined && isFlexible(definition.request, apiVersion);
}

function usesFlexibleResponseHeader(apiKey: number, apiVersion: number): boolean {
  return apiKey !== ApiKey.ApiVersions && isFlexible(definitionOf(apiKey, apiVersion).response, apiVersion);
}

function skipTaggedFields(reader: ByteReader): void {
  const count = reader.uvarint();
  for (let i = 0; i < count; i++) {
    reader.uvarint();
    reader.raw(reader.uvarint());
  }
}

/**
 * Reads the header of a request `frame` (the bytes after its 4-byte size). It succeeds for any
 * api key and version, so a broker can answer an unsupported one; an unknown api key is read as
 * header v1. Throws `MalformedMessageError` when the frame is too short.
 */
export function decodeRequestHeader(frame: Uint8Array): RequestHeader {
  const reader = new ByteReader(frame);
  const apiKey = reader.int16();
  const apiVersion = reader.int16();
  const correlationId = reader.int32();
  const clientId = reader.string();
  if (usesFlexibleRequestHeader(apiKey, apiVersion)) skipTaggedFields(reader);
  return { apiKey, apiVersion, correlationId, clientId, bodyOffset: reader.offset };
}

/**
 * Decodes a request `frame` (the bytes after its 4-byte size): header and body. Throws
 * `UnsupportedVersionError` for an api key or version this library has no definition of, and
 * `MalformedMessageError` for bytes that do not decode. Bytes after the body are ignored, as Kafka
 * brokers do.
 */
export function decodeRequest(frame: Uint8Array): DecodedRequest {
  const header = decodeRequestHeader(frame);
  const { request } = definitionOf(header.apiKey, header.apiVersion);
  const body = decodeMessage(request, header.apiVersion, new ByteReader(frame, header.bodyOffset));
  return { header, body };
}

function sizePrefixed(writer: ByteWriter): Uint8Array {
  const bytes = writer.finish();
  new DataView(bytes.buffer, bytes.byteOffset).setInt32(0, bytes.length - SIZE_PREFIX);
  return bytes;
}

/**
 * Encodes the response to the request with `header` (its api key, version and correlation id):
 * the 4-byte size, the response header (v0, or v1 for flexible versions but ApiVersions), the body.
 */
export function encodeResponse(
  header: Pick<RequestHeader, 'apiKey' | 'apiVersion' | 'correlationId'>,
  body: object,
): Uint8Array {
  const { response } = definitionOf(header.apiKey, header.apiVersion);
  const writer = new ByteWriter().int32(0).int32(header.correlationId);
  if (usesFlexibleResponseHeader(header.apiKey, header.apiVersion)) writer.uvarint(0);
  return sizePrefixed(encodeMessage(response, header.apiVersion, body, writer));
}

/** Encodes a request, size-prefixed, with header v1 or v2 as its version calls for (clients, tests). */
export function encodeRequest(
  header: Pick<RequestHeader, 'apiKey' | 'apiVersion' | 'correlationId' | 'clientId'>,
  body: object,
): Uint8Array {
  const { request } = definitionOf(header.apiKey, header.apiVersion);
  const writer = new ByteWriter()
    .int32(0)
    .int16(header.apiKey)
    .int16(header.apiVersion)
    .int32(header.correlationId)
    .string(header.clientId);
  if (isFlexible(request, header.apiVersion)) writer.uvarint(0);
  return sizePrefixed(encodeMessage(request, header.apiVersion, body, writer));
}

/**
 * Decodes a response `frame` (the bytes after its 4-byte size) to a request of `apiKey` at
 * `apiVersion` (clients, tests). Throws `MalformedMessageError` for bytes that do not decode.
 */
export function decodeResponse(
  apiKey: number,
  apiVersion: number,
  frame: Uint8Array,
): { correlationId: number; body: MessageBody } {
  const { response } = definitionOf(apiKey, apiVersion);
  const reader = new ByteReader(frame);
  const correlationId = reader.int32();
  if (usesFlexibleResponseHeader(apiKey, apiVersion)) skipTaggedFields(reader);
  const body = decodeMessage(response, apiVersion, reader);
  if (reader.remaining !== 0) {
    throw new MalformedMessageError(
      `${response.name} v${apiVersion} has ${reader.remaining} bytes after its body`,
    );
  }
  return { correlationId, body };
}
