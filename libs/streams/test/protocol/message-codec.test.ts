import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, MalformedMessageError, UnsupportedVersionError } from '../../src/errors.js';
import { ByteReader } from '../../src/protocol/byte-reader.js';
import { decodeMessage, encodeMessage } from '../../src/protocol/message-codec.js';
import { apiDefinitions } from '../../src/protocol/messages/index.js';
import { metadataDefinition } from '../../src/protocol/messages/metadata.js';
import { arbitraryBody, versionsOf } from './support/arbitrary-body.js';

const messages = [...apiDefinitions.values()].flatMap(({ request, response }) => [request, response]);

describe('message codec', () => {
  for (const definition of messages) {
    it(`round-trips any ${definition.name} at every valid version`, () => {
      for (const version of versionsOf(definition)) {
        fc.assert(
          fc.property(arbitraryBody(definition, version), (body) => {
            const bytes = encodeMessage(definition, version, body).finish();
            const reader = new ByteReader(bytes);
            expect(decodeMessage(definition, version, reader)).toEqual(body);
            expect(reader.remaining).toBe(0);
          }),
          { numRuns: 15 },
        );
      }
    });
  }

  it('fills missing fields with the spec defaults and leaves out fields the version lacks', () => {
    const bytes = encodeMessage(metadataDefinition.request, 4, {
      topics: null,
      includeTopicAuthorizedOperations: true,
    });
    // v4: topics (nullable array) then allowAutoTopicCreation, whose spec default is true
    expect([...bytes.finish()]).toEqual([0xff, 0xff, 0xff, 0xff, 1]);
    expect(decodeMessage(metadataDefinition.request, 4, new ByteReader(bytes.finish()))).toEqual({
      topics: null,
      allowAutoTopicCreation: true,
    });
  });

  it('skips unknown tagged fields and gives known ones their default when absent', () => {
    const response = apiDefinitions.get(18)?.response;
    if (!response) throw new Error('no ApiVersions');
    // v3: errorCode 0, apiKeys [] (compact: 1), throttleTimeMs 0, tagged: tag 9 (unknown) with 2 bytes
    const bytes = Uint8Array.of(0, 0, 1, 0, 0, 0, 0, 1, 9, 2, 0xab, 0xcd);
    expect(decodeMessage(response, 3, new ByteReader(bytes))).toEqual({
      errorCode: 0,
      apiKeys: [],
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1n,
      finalizedFeatures: [],
      zkMigrationReady: false,
    });
  });

  it('gives an absent tagged struct the defaults of its fields', () => {
    const response = apiDefinitions.get(1)?.response;
    if (!response) throw new Error('no Fetch');
    const partition = { partitionIndex: 0, errorCode: 0, highWatermark: 5n, records: null };
    const body = {
      responses: [{ topicId: '6f9619ff-8b86-4d01-b42d-00cf4fc964ff', partitions: [partition] }],
    };
    const decoded = decodeMessage(response, 13, new ByteReader(encodeMessage(response, 13, body).finish()));
    const [topic] = decoded.responses as Array<{ partitions: Array<Record<string, unknown>> }>;
    expect(topic?.partitions[0]).toMatchObject({
      highWatermark: 5n,
      lastStableOffset: -1n,
      divergingEpoch: { epoch: -1, endOffset: -1n },
      currentLeader: { leaderId: -1, leaderEpoch: -1 },
      snapshotId: { endOffset: -1n, epoch: -1 },
    });
  });

  it('refuses versions outside the spec, nulls where none are allowed, and truncated bytes', () => {
    const { request } = metadataDefinition;
    expect(() => encodeMessage(request, 13, {})).toThrow(UnsupportedVersionError);
    expect(() => decodeMessage(request, -1, new ByteReader(new Uint8Array(0)))).toThrow(
      UnsupportedVersionError,
    );
    expect(() => encodeMessage(request, 0, { topics: null })).toThrow(InvalidArgumentError);
    expect(() => encodeMessage(request, 1, { topics: [{ name: 5 }] })).toThrow(InvalidArgumentError);
    const bytes = encodeMessage(request, 1, { topics: [{ name: 'abc' }] }).finish();
    expect(() => decodeMessage(request, 1, new ByteReader(bytes.subarray(0, bytes.length - 1)))).toThrow(
      MalformedMessageError,
    );
  });
});
