import { InvalidArgumentError, MalformedMessageError, UnsupportedVersionError } from '../errors.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import {
  type DefaultValue,
  type FieldDefinition,
  inVersions,
  type MessageDefinition,
} from './message-definition.js';

/** A message body or struct: spec field names in camelCase → values. */
export type MessageBody = Record<string, unknown>;

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const EMPTY_BYTES = new Uint8Array(0);

/** The wire context of one message: its version and whether that version is flexible. */
interface Context {
  readonly version: number;
  readonly flexible: boolean;
}

/** Whether `definition` is sent in its flexible (compact, tagged) form at `version`. */
export function isFlexible(definition: MessageDefinition, version: number): boolean {
  return inVersions(definition.flexibleVersions, version);
}

function checkVersion(definition: MessageDefinition, version: number): Context {
  if (!inVersions(definition.validVersions, version)) {
    const [min, max] = definition.validVersions;
    throw new UnsupportedVersionError(`${definition.name} v${version} is not supported (v${min}-${max} are)`);
  }
  return { version, flexible: isFlexible(definition, version) };
}

/**
 * Encodes a message body at `version` into `writer` (or a new writer), as its definition lays it
 * out: fields absent at the version are ignored, missing fields take the spec's default (0, "",
 * empty, false, or the stated one), tagged fields are written unless they hold their default.
 * Throws `UnsupportedVersionError` for a version outside the message's valid versions and
 * `InvalidArgumentError` for a value of the wrong type or a null where the version allows none.
 */
export function encodeMessage(
  definition: MessageDefinition,
  version: number,
  body: object,
  writer = new ByteWriter(),
): ByteWriter {
  writeStruct(
    writer,
    definition.fields,
    body as MessageBody,
    checkVersion(definition, version),
    definition.name,
  );
  return writer;
}

/**
 * Decodes a message body at `version` from `reader` (the reader is left after the body). Fields
 * absent at the version are absent from the result; tagged fields not sent get their default;
 * unknown tagged fields are skipped. Throws `MalformedMessageError` for bytes that do not decode.
 */
export function decodeMessage(
  definition: MessageDefinition,
  version: number,
  reader: ByteReader,
): MessageBody {
  const context = checkVersion(definition, version);
  try {
    return readStruct(reader, definition.fields, context);
  } catch (error) {
    if (!(error instanceof MalformedMessageError)) throw error;
    throw new MalformedMessageError(`${definition.name} v${version}: ${error.message}`, { cause: error });
  }
}

function isTagged(field: FieldDefinition, context: Context): boolean {
  return context.flexible && inVersions(field.taggedVersions, context.version);
}

function isNullable(field: FieldDefinition, context: Context): boolean {
  return field.type === 'records' || inVersions(field.nullableVersions, context.version);
}

/** The value a field takes when a body leaves it out. */
function defaultOf(field: FieldDefinition, context: Context): unknown {
  if (field.default !== undefined) return field.default;
  if (field.array) return [];
  return scalarDefault(field, context);
}

function scalarDefault(field: FieldDefinition, context: Context): DefaultValue | MessageBody | Uint8Array {
  switch (field.type) {
    case 'bool':
      return false;
    case 'int64':
      return 0n;
    case 'string':
      return '';
    case 'bytes':
      return EMPTY_BYTES;
    case 'records':
      return null;
    case 'uuid':
      return ZERO_UUID;
    case 'struct':
      return isNullable(field, context) ? null : structDefault(field.fields ?? [], context);
    default:
      return 0;
  }
}

/** A struct whose fields present at the version all hold their defaults. */
function structDefault(fields: readonly FieldDefinition[], context: Context): MessageBody {
  const body: MessageBody = {};
  for (const field of fields) {
    if (inVersions(field.versions, context.version)) body[field.name] = defaultOf(field, context);
  }
  return body;
}

function isDefault(field: FieldDefinition, value: unknown, context: Context): boolean {
  if (value === undefined) return true;
  const fallback = defaultOf(field, context);
  if (value === null || fallback === null) return value === fallback;
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Uint8Array) return value.length === 0 && fallback instanceof Uint8Array;
  if (typeof value === 'object') return false;
  return value === fallback || (field.type === 'int64' && BigInt(value as bigint) === fallback);
}

function writeStruct(
  writer: ByteWriter,
  fields: readonly FieldDefinition[],
  body: MessageBody,
  context: Context,
  path: string,
): void {
  const tagged: FieldDefinition[] = [];
  for (const field of fields) {
    if (!inVersions(field.versions, context.version)) continue;
    if (isTagged(field, context)) {
      if (!isDefault(field, body[field.name], context)) tagged.push(field);
      continue;
    }
    const value = body[field.name];
    writeField(
      writer,
      field,
      value === undefined ? defaultOf(field, context) : value,
      context,
      `${path}.${field.name}`,
    );
  }
  if (!context.flexible) return;
  tagged.sort((a, b) => (a.tag as number) - (b.tag as number));
  writer.uvarint(tagged.length);
  for (const field of tagged) {
    const data = new ByteWriter(64);
    writeField(data, field, body[field.name], context, `${path}.${field.name}`);
    const bytes = data.finish();
    writer
      .uvarint(field.tag as number)
      .uvarint(bytes.length)
      .raw(bytes);
  }
}

function writeField(
  writer: ByteWriter,
  field: FieldDefinition,
  value: unknown,
  context: Context,
  path: string,
): void {
  if (value === null) {
    if (!isNullable(field, context))
      throw new InvalidArgumentError(`${path} is null, not nullable at v${context.version}`);
    if (field.array) {
      if (context.flexible) writer.uvarint(0);
      else writer.int32(-1);
      return;
    }
  }
  if (field.array) {
    if (!Array.isArray(value)) throw new InvalidArgumentError(`${path} must be an array`);
    if (context.flexible) writer.uvarint(value.length + 1);
    else writer.int32(value.length);
    for (const [i, item] of value.entries())
      writeElement(writer, field, item, context, `${path}[${i}]`, false);
    return;
  }
  writeElement(writer, field, value, context, path, isNullable(field, context));
}

function writeElement(
  writer: ByteWriter,
  field: FieldDefinition,
  value: unknown,
  context: Context,
  path: string,
  nullable: boolean,
): void {
  const { flexible } = context;
  const expect = (ok: boolean, what: string) => {
    if (!ok) throw new InvalidArgumentError(`${path} must be ${what}, got ${typeof value}`);
  };
  switch (field.type) {
    case 'bool':
      expect(typeof value === 'boolean', 'a boolean');
      writer.bool(value as boolean);
      return;
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'float64':
      expect(typeof value === 'number', 'a number');
      writer[field.type](value as number);
      return;
    case 'int64':
      expect(typeof value === 'bigint' || Number.isInteger(value), 'a bigint');
      writer.int64(BigInt(value as bigint));
      return;
    case 'uuid':
      expect(typeof value === 'string', 'a uuid string');
      writer.uuid(value as string);
      return;
    case 'string':
      expect(typeof value === 'string' || (nullable && value === null), 'a string');
      if (flexible) writer.compactString(value as string | null);
      else writer.string(value as string | null);
      return;
    case 'bytes':
    case 'records':
      expect(value instanceof Uint8Array || (nullable && value === null), 'a Uint8Array');
      if (flexible) writer.compactBytes(value as Uint8Array | null);
      else writer.bytes(value as Uint8Array | null);
      return;
    case 'struct':
      if (nullable) {
        writer.int8(value === null ? -1 : 1);
        if (value === null) return;
      }
      expect(typeof value === 'object' && value !== null, 'an object');
      writeStruct(writer, field.fields ?? [], value as MessageBody, context, path);
      return;
  }
}

function readStruct(reader: ByteReader, fields: readonly FieldDefinition[], context: Context): MessageBody {
  const body: MessageBody = {};
  const tagged = new Map<number, FieldDefinition>();
  for (const field of fields) {
    if (!inVersions(field.versions, context.version)) continue;
    if (isTagged(field, context)) {
      tagged.set(field.tag as number, field);
      body[field.name] = defaultOf(field, context);
      continue;
    }
    body[field.name] = readField(reader, field, context);
  }
  if (!context.flexible) return body;
  const count = reader.uvarint();
  for (let i = 0; i < count; i++) {
    const tag = reader.uvarint();
    const size = reader.uvarint();
    const field = tagged.get(tag);
    const data = reader.raw(size);
    if (field) body[field.name] = readField(new ByteReader(data), field, context);
  }
  return body;
}

function readField(reader: ByteReader, field: FieldDefinition, context: Context): unknown {
  if (field.array) {
    const length = context.flexible ? reader.uvarint() - 1 : reader.int32();
    if (length < 0) {
      if (length < -1 || !isNullable(field, context))
        throw new MalformedMessageError(`${field.name}: array length ${length}`);
      return null;
    }
    if (length > reader.remaining)
      throw new MalformedMessageError(`${field.name}: array length ${length} exceeds the message`);
    const items: unknown[] = new Array(length);
    for (let i = 0; i < length; i++) items[i] = readElement(reader, field, context, false);
    return items;
  }
  return readElement(reader, field, context, isNullable(field, context));
}

function readElement(
  reader: ByteReader,
  field: FieldDefinition,
  context: Context,
  nullable: boolean,
): unknown {
  const { flexible } = context;
  switch (field.type) {
    case 'bool':
      return reader.bool();
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'float64':
    case 'int64':
    case 'uuid':
      return reader[field.type]();
    case 'string': {
      const value = flexible ? reader.compactString() : reader.string();
      if (value === null && !nullable) throw new MalformedMessageError(`${field.name}: null string`);
      return value;
    }
    case 'bytes':
    case 'records': {
      const value = flexible ? reader.compactBytes() : reader.bytes();
      if (value === null && !nullable) throw new MalformedMessageError(`${field.name}: null bytes`);
      return value;
    }
    case 'struct':
      if (nullable && reader.int8() < 0) return null;
      return readStruct(reader, field.fields ?? [], context);
  }
}
