/**
 * The shape of a Kafka message definition once generated from Kafka's JSON specs: the data that
 * `message-codec.ts` walks to encode and decode any message at any version.
 */

/** An inclusive version range `[min, max]`; an open range ("3+") has max `VERSION_MAX`. */
export type VersionRange = readonly [min: number, max: number];

/** The upper bound of open version ranges such as "3+". */
export const VERSION_MAX = 0x7fff;

/** Scalar types of the protocol. */
export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

/** A field's default, as the spec states it, converted to the field's JavaScript type. */
export type DefaultValue = boolean | number | bigint | string | null;

/** One field of a message or struct. */
export interface FieldDefinition {
  /** The spec's field name in camelCase (`TopicName` → `topicName`). */
  readonly name: string;
  /** The element type; `struct` when `fields` describe it. */
  readonly type: PrimitiveType | 'struct';
  /** True for `[]T` fields. */
  readonly array?: true;
  /** The spec's struct type name (`[]MetadataResponseTopic` → `MetadataResponseTopic`). */
  readonly structName?: string;
  /** The fields of a struct (or of each element of an array of structs). */
  readonly fields?: readonly FieldDefinition[];
  /** Versions the field exists in. */
  readonly versions: VersionRange;
  /** Versions in which it may be null (strings, bytes, records, arrays, structs). */
  readonly nullableVersions?: VersionRange;
  /** Tag number when the field is a tagged field. */
  readonly tag?: number;
  /** Versions in which it is sent as a tagged field. */
  readonly taggedVersions?: VersionRange;
  /** Set when the spec lets a sender drop the field at versions lacking it. */
  readonly ignorable?: true;
  /** The spec's explicit default, when it states one. */
  readonly default?: DefaultValue;
}

/** One request or response message of one API. */
export interface MessageDefinition {
  readonly name: string;
  readonly apiKey: number;
  readonly type: 'request' | 'response';
  readonly validVersions: VersionRange;
  /** Versions using compact encodings and tagged fields; `null` for none. */
  readonly flexibleVersions: VersionRange | null;
  readonly fields: readonly FieldDefinition[];
}

/** The request and response definitions of one API. */
export interface ApiDefinition {
  readonly request: MessageDefinition;
  readonly response: MessageDefinition;
}

/** Whether `version` lies in `range` (false for no range). */
export function inVersions(range: VersionRange | null | undefined, version: number): boolean {
  return range !== null && range !== undefined && version >= range[0] && version <= range[1];
}
