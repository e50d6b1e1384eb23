import { describe, expect, it } from 'vitest';
import { MalformedMessageError, UnsupportedVersionError } from '../../src/errors.js';
import {
  decodeRequest,
  decodeRequestHeader,
  decodeResponse,
  encodeRequest,
  encodeResponse,
} from '../../src/protocol/frames.js';

const ascii = (text: string) => [...Buffer.from(text)];
const int16 = (value: number) => [(value >> 8) & 0xff, value & 0xff];
const int32 = (value: number) => [
  (value >>> 24) & 0xff,
  (value >>> 16) & 0xff,
  (value >>> 8) & 0xff,
  value & 0xff,
];
/** A (non-compact) string: int16 length + bytes. */
const string = (text: string) => [...int16(text.length), ...ascii(text)];
/** A compact string: uvarint length + 1 (short strings: one byte) + bytes. */
const compactString = (text: string) => [text.length + 1, ...ascii(text)];
const framed = (bytes: number[]) => Uint8Array.from([...int32(bytes.length), ...bytes]);

/** ApiVersions v3 as librdkafka 2.0.2 sends it: header v2 (clientId stays an int16 string, then no tagged fields). */
const API_VERSIONS_V3 = [
  ...int16(18),
  ...int16(3),
  ...int32(1),
  ...string('rdkafka'),
  0, // header tagged fields
  ...compactString('librdkafka'),
  ...compactString('2.0.2'),
  0, // body tagged fields
];

describe('request and response frames', () => {
  it('read an ApiVersions v3 request as librdkafka writes it, and write it back byte for byte', () => {
    const request = decodeRequest(Uint8Array.from(API_VERSIONS_V3));
    expect(request).toEqual({
      header: { apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'rdkafka', bodyOffset: 18 },
      body: { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' },
    });
    expect([...encodeRequest(request.header, request.body)]).toEqual([...framed(API_VERSIONS_V3)]);
  });

  it('skip tagged fields in a request header v2', () => {
    const withTag = [...API_VERSIONS_V3.slice(0, 17), 1, 5, 2, 0xaa, 0xbb, ...API_VERSIONS_V3.slice(18)];
    expect(decodeRequest(Uint8Array.from(withTag)).body).toEqual({
      clientSoftwareName: 'librdkafka',
      clientSoftwareVersion: '2.0.2',
    });
  });

  it('answer ApiVersions v3 with response header v0 (no tagged fields) and a flexible body', () => {
    const bytes = encodeResponse(
      { apiKey: 18, apiVersion: 3, correlationId: 1 },
      { errorCode: 0, apiKeys: [{ apiKey: 3, minVersion: 0, maxVersion: 12 }], throttleTimeMs: 0 },
    );
    const body = [
      ...int32(1), // correlation id, and nothing else: header v0
      ...int16(0),
      2, // compact array of 1
      ...int16(3),
      ...int16(0),
      ...int16(12),
      0, // element tagged fields
      ...int32(0),
      0, // body tagged fields (the defaults of SupportedFeatures, FinalizedFeaturesEpoch… are not sent)
    ];
    expect([...bytes]).toEqual([...framed(body)]);
    expect(decodeResponse(18, 3, bytes.subarray(4)).body).toMatchObject({
      apiKeys: [{ apiKey: 3, maxVersion: 12 }],
    });
  });

  it('write a Metadata v9 request with header v2 and compact fields, and its response with header v1', () => {
    const request = encodeRequest(
      { apiKey: 3, apiVersion: 9, correlationId: 5, clientId: 'c' },
      { topics: [{ name: 'orders' }], allowAutoTopicCreation: false },
    );
    expect([...request]).toEqual([
      ...framed([
        ...int16(3),
        ...int16(9),
        ...int32(5),
        ...string('c'),
        0,
        2, // compact array of 1 topic
        ...compactString('orders'),
        0, // topic tagged fields
        0, // allowAutoTopicCreation
        0, // includeClusterAuthorizedOperations (v8-10)
        0, // includeTopicAuthorizedOperations
        0, // body tagged fields
      ]),
    ]);
    const response = encodeResponse(
      { apiKey: 3, apiVersion: 9, correlationId: 5 },
      { throttleTimeMs: 0, brokers: [], clusterId: null, controllerId: -1, topics: [] },
    );
    expect([...response.subarray(4, 9)]).toEqual([...int32(5), 0]); // header v1: correlation id + tagged fields
    expect(decodeResponse(3, 9, response.subarray(4))).toEqual({
      correlationId: 5,
      body: {
        throttleTimeMs: 0,
        brokers: [],
        clusterId: null,
        controllerId: -1,
        topics: [],
        clusterAuthorizedOperations: -2147483648,
      },
    });
  });

  it('read the header of any request, even one of a version or api it cannot decode', () => {
    const future = [...int16(18), ...int16(9), ...int32(7), ...string('x'), 0];
    expect(decodeRequestHeader(Uint8Array.from(future))).toEqual({
      apiKey: 18,
      apiVersion: 9,
      correlationId: 7,
      clientId: 'x',
      bodyOffset: 12,
    });
    expect(() => decodeRequest(Uint8Array.from(future))).toThrow(UnsupportedVersionError);
    const unknownApi = [...int16(57), ...int16(0), ...int32(8), ...int16(-1)];
    expect(decodeRequestHeader(Uint8Array.from(unknownApi))).toMatchObject({
      apiKey: 57,
      clientId: null,
      bodyOffset: 10,
    });
    expect(() => decodeRequest(Uint8Array.from(unknownApi))).toThrow(UnsupportedVersionError);
  });

  it('reject truncated frames as malformed', () => {
    expect(() => decodeRequestHeader(Uint8Array.of(0, 18, 0))).toThrow(MalformedMessageError);
    expect(() => decodeRequest(Uint8Array.from(API_VERSIONS_V3.slice(0, -3)))).toThrow(MalformedMessageError);
  });
});
