/**
 * A minimal writer of ONNX model files (protocol-buffer encoding of `onnx.ModelProto`), enough for the
 * tests to build small real models that onnxruntime loads: tensors, value infos, nodes, a graph.
 * Field numbers follow onnx/onnx.proto.
 */

/** ONNX tensor element types used here (`TensorProto.DataType`). */
export const ElementType = { float: 1, int64: 7 } as const;

/** One encoded protobuf field (tag + payload). */
type Field = Buffer;

function varint(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint of ${value}`);
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function varintField(fieldNumber: number, value: number): Field {
  return Buffer.concat([varint(fieldNumber * 8), varint(value)]);
}

function bytesField(fieldNumber: number, bytes: Uint8Array): Field {
  return Buffer.concat([varint(fieldNumber * 8 + 2), varint(bytes.length), bytes]);
}

function stringField(fieldNumber: number, text: string): Field {
  return bytesField(fieldNumber, Buffer.from(text, 'utf8'));
}

function messageField(fieldNumber: number, fields: Field[]): Field {
  return bytesField(fieldNumber, Buffer.concat(fields));
}

/** A `TensorProto` initializer of float32 values (stored as raw little-endian bytes). */
export function floatTensor(name: string, dims: number[], values: readonly number[]): Field[] {
  const raw = Buffer.alloc(values.length * 4);
  for (const [index, value] of values.entries()) raw.writeFloatLE(value, index * 4);
  return [
    ...dims.map((dim) => varintField(1, dim)),
    varintField(2, ElementType.float),
    stringField(8, name),
    bytesField(9, raw),
  ];
}

/** A `ValueInfoProto`: a named tensor of `elementType` whose dims are sizes or symbolic names. */
export function tensorInfo(name: string, elementType: number, dims: ReadonlyArray<number | string>): Field[] {
  const dimensions = dims.map((dim) =>
    messageField(1, [typeof dim === 'number' ? varintField(1, dim) : stringField(2, dim)]),
  );
  const tensorType = [varintField(1, elementType), messageField(2, dimensions)];
  return [stringField(1, name), messageField(2, [messageField(1, tensorType)])];
}

/** An integer-list attribute of a node (`AttributeProto` of type INTS). */
export interface IntsAttribute {
  name: string;
  ints: number[];
}

/** An integer attribute of a node (`AttributeProto` of type INT). */
export interface IntAttribute {
  name: string;
  int: number;
}

/** A `NodeProto`: one operator application. */
export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: Array<IntsAttribute | IntAttribute> = [],
): Field[] {
  return [
    ...inputs.map((input) => stringField(1, input)),
    ...outputs.map((output) => stringField(2, output)),
    stringField(3, `${opType}_${outputs[0]}`),
    stringField(4, opType),
    ...attributes.map((attribute) =>
      messageField(
        5,
        'ints' in attribute
          ? [
              stringField(1, attribute.name),
              ...attribute.ints.map((value) => varintField(8, value)),
              varintField(20, 7),
            ]
          : [stringField(1, attribute.name), varintField(3, attribute.int), varintField(20, 2)],
      ),
    ),
  ];
}

/** The parts of a graph. */
export interface GraphParts {
  nodes: Field[][];
  initializers: Field[][];
  inputs: Field[][];
  outputs: Field[][];
}

/** Encodes a whole `ModelProto` (IR version 8, default-domain opset `opset`). */
export function modelProto(graph: GraphParts, opset = 13): Buffer {
  const graphFields = [
    ...graph.nodes.map((fields) => messageField(1, fields)),
    stringField(2, 'tiny'),
    ...graph.initializers.map((fields) => messageField(5, fields)),
    ...graph.inputs.map((fields) => messageField(11, fields)),
    ...graph.outputs.map((fields) => messageField(12, fields)),
  ];
  return Buffer.concat([
    varintField(1, 8),
    stringField(2, 'isthmus-tests'),
    messageField(7, graphFields),
    messageField(8, [stringField(1, ''), varintField(2, opset)]),
  ]);
}
