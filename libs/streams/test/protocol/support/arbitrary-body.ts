import fc from 'fast-check';
import {
  type FieldDefinition,
  inVersions,
  type MessageDefinition,
} from '../../../src/protocol/message-definition.js';

/** A version of a message and whether it is flexible. */
interface At {
  readonly version: number;
  readonly flexible: boolean;
}

const ELEMENTS: Record<Exclude<FieldDefinition['type'], 'struct'>, () => fc.Arbitrary<unknown>> = {
  bool: () => fc.boolean(),
  int8: () => fc.integer({ min: -128, max: 127 }),
  int16: () => fc.integer({ min: -32768, max: 32767 }),
  uint16: () => fc.integer({ min: 0, max: 65535 }),
  int32: () => fc.integer(),
  uint32: () => fc.integer({ min: 0, max: 0xffffffff }),
  int64: () => fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  float64: () => fc.double({ noNaN: true }),
  string: () => fc.string({ unit: 'grapheme', maxLength: 8 }),
  bytes: () => fc.uint8Array({ maxLength: 8 }),
  records: () => fc.uint8Array({ maxLength: 16 }),
  uuid: () => fc.uuid(),
};

function element(field: FieldDefinition, at: At): fc.Arbitrary<unknown> {
  if (field.type === 'struct') return struct(field.fields ?? [], at);
  return ELEMENTS[field.type]();
}

function fieldValue(field: FieldDefinition, at: At): fc.Arbitrary<unknown> {
  const value = field.array ? fc.array(element(field, at), { maxLength: 3 }) : element(field, at);
  const nullable = field.type === 'records' || inVersions(field.nullableVersions, at.version);
  return nullable ? fc.option(value, { nil: null }) : value;
}

function struct(fields: readonly FieldDefinition[], at: At): fc.Arbitrary<Record<string, unknown>> {
  const present = fields.filter((field) => inVersions(field.versions, at.version));
  return fc.record(Object.fromEntries(present.map((field) => [field.name, fieldValue(field, at)])));
}

/**
 * Any body of `definition` at `version`, built from the definition itself: every field the version
 * has, with values covering each type's whole range, nulls where the version allows them.
 */
export function arbitraryBody(
  definition: MessageDefinition,
  version: number,
): fc.Arbitrary<Record<string, unknown>> {
  return struct(definition.fields, { version, flexible: inVersions(definition.flexibleVersions, version) });
}

/** Every valid version of a message. */
export function versionsOf(definition: MessageDefinition): number[] {
  const [min, max] = definition.validVersions;
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}
