/**
 * The part of the ONNX file format (onnx.proto, a protobuf) that fairio
 * reads and writes: a model's graph inputs and outputs with their element
 * types and static or symbolic dimensions (to check them against a
 * description), and enough of nodes, attributes and initializers to write a
 * small network (the demo model). Field numbers follow onnx.proto; the
 * encoding is done by protobufjs. No Node imports.
 */
import protobuf from 'protobufjs';

const PROTO = `
syntax = "proto2";
package onnx;
message AttributeProto {
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  optional int32 type = 20;
}
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; optional string doc_string = 3; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
  optional string domain = 7;
}
message StringStringEntryProto { optional string key = 1; optional string value = 2; }
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
  repeated StringStringEntryProto metadata_props = 14;
}
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}
message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  optional string name = 8;
  optional bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { optional int64 dim_value = 1; optional string dim_param = 2; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
  optional Tensor tensor_type = 1;
}
`;

let root: protobuf.Root | undefined;
function modelType(): protobuf.Type {
  root ??= protobuf.parse(PROTO, { keepCase: true }).root;
  return root.lookupType('onnx.ModelProto');
}

/** ONNX TensorProto.DataType numbers → fairio data types. */
export const ONNX_ELEMENT_TYPES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64',
};
const ELEMENT_TYPE_NUMBER = Object.fromEntries(Object.entries(ONNX_ELEMENT_TYPES).map(([k, v]) => [v, Number(k)]));

export interface OnnxValueInfo {
  name: string;
  elementType: string;
  /** One entry per dimension: a number when static, the symbol's name when symbolic, undefined when unknown. */
  dims: (number | string | undefined)[];
}

export interface OnnxSignature {
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  opsets: { domain: string; version: number }[];
  producer: string;
}

type Long = { toNumber(): number } | number | string;
const toNumber = (v: Long | undefined | null): number => (v === undefined || v === null ? 0 : typeof v === 'object' ? v.toNumber() : Number(v));

interface DecodedValueInfo {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: Long; dim_param?: string }[] } } };
}

function valueInfo(v: DecodedValueInfo): OnnxValueInfo {
  const tensor = v.type?.tensor_type;
  return {
    name: v.name ?? '',
    elementType: ONNX_ELEMENT_TYPES[tensor?.elem_type ?? 0] ?? `onnx-type-${tensor?.elem_type}`,
    dims: (tensor?.shape?.dim ?? []).map((d) => (d.dim_param ? d.dim_param : d.dim_value !== undefined && d.dim_value !== null ? toNumber(d.dim_value) : undefined)),
  };
}

/** Graph inputs (without initializers, which old exporters list as inputs too) and outputs of an ONNX file. */
export function readOnnxSignature(bytes: Uint8Array): OnnxSignature {
  const message = modelType().decode(bytes) as unknown as {
    graph?: { input?: DecodedValueInfo[]; output?: DecodedValueInfo[]; initializer?: { name?: string }[] };
    opset_import?: { domain?: string; version?: Long }[];
    producer_name?: string;
  };
  const initializers = new Set((message.graph?.initializer ?? []).map((t) => t.name));
  return {
    inputs: (message.graph?.input ?? []).filter((i) => !initializers.has(i.name)).map(valueInfo),
    outputs: (message.graph?.output ?? []).map(valueInfo),
    opsets: (message.opset_import ?? []).map((o) => ({ domain: o.domain ?? '', version: toNumber(o.version) })),
    producer: message.producer_name ?? '',
  };
}

// ---- writing ---------------------------------------------------------------

export type OnnxAttribute = { name: string } & ({ f: number } | { i: number } | { ints: number[] } | { floats: number[] } | { s: string });

export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: OnnxAttribute[];
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  /** float32 values, C order. */
  values: Float32Array;
}

export interface OnnxGraphIO {
  name: string;
  elementType: 'float32';
  /** Static size, or a symbol name for a free dimension. */
  dims: (number | string)[];
}

export interface OnnxModelInit {
  graphName: string;
  producer: { name: string; version: string };
  opset: number;
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
  inputs: OnnxGraphIO[];
  outputs: OnnxGraphIO[];
  docString?: string;
  metadata?: Record<string, string>;
}

const ATTRIBUTE_TYPE = { f: 1, i: 2, s: 3, floats: 6, ints: 7 } as const;

function encodeAttribute(a: OnnxAttribute): Record<string, unknown> {
  if ('f' in a) return { name: a.name, f: a.f, type: ATTRIBUTE_TYPE.f };
  if ('i' in a) return { name: a.name, i: a.i, type: ATTRIBUTE_TYPE.i };
  if ('ints' in a) return { name: a.name, ints: a.ints, type: ATTRIBUTE_TYPE.ints };
  if ('floats' in a) return { name: a.name, floats: a.floats, type: ATTRIBUTE_TYPE.floats };
  return { name: a.name, s: new TextEncoder().encode(a.s), type: ATTRIBUTE_TYPE.s };
}

const io = (v: OnnxGraphIO) => ({
  name: v.name,
  type: { tensor_type: { elem_type: ELEMENT_TYPE_NUMBER[v.elementType], shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } },
});

/** Serialise a small model (IR version 8) to ONNX protobuf bytes. */
export function encodeOnnxModel(model: OnnxModelInit): Uint8Array {
  const Model = modelType();
  const message = Model.fromObject({
    ir_version: 8,
    producer_name: model.producer.name,
    producer_version: model.producer.version,
    doc_string: model.docString ?? '',
    opset_import: [{ domain: '', version: model.opset }],
    metadata_props: Object.entries(model.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: model.graphName,
      node: model.nodes.map((n, i) => ({ input: n.inputs, output: n.outputs, name: n.name ?? `${n.opType}_${i}`, op_type: n.opType, attribute: (n.attributes ?? []).map(encodeAttribute) })),
      initializer: model.initializers.map((t) => ({
        name: t.name,
        dims: t.dims,
        data_type: 1,
        raw_data: new Uint8Array(t.values.buffer.slice(t.values.byteOffset, t.values.byteOffset + t.values.byteLength)),
      })),
      input: model.inputs.map(io),
      output: model.outputs.map(io),
    },
  });
  return Model.encode(message).finish();
}
