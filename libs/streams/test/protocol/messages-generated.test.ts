import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  camelCase,
  generateMessageFiles,
  kebabCase,
  MESSAGES_DIR,
  parseSpecJson,
  parseVersions,
  toDefinition,
} from '../../scripts/generate-messages.js';

describe('generated message definitions', () => {
  it('equal what the generator makes of the specs now (regenerate: node --import tsx libs/streams/scripts/generate-messages.ts)', () => {
    const generated = generateMessageFiles();
    expect(readdirSync(MESSAGES_DIR).sort()).toEqual([...generated.keys()].sort());
    for (const [name, source] of generated) {
      expect(readFileSync(join(MESSAGES_DIR, name), 'utf8'), name).toBe(source);
    }
  });

  it('read the specs as Kafka writes them: comments, version ranges, common structs, defaults', () => {
    const text = `// Licensed to the Apache Software Foundation
{
  "apiKey": 99, "type": "request", "name": "ExampleRequest", // trailing comment
  "validVersions": "0-3", "flexibleVersions": "2+",
  "fields": [
    { "name": "Url", "type": "string", "versions": "0+", "default": "http://example.org/a" },
    { "name": "Limit", "type": "int32", "versions": "1+", "default": "0x7fffffff" },
    { "name": "Since", "type": "int64", "versions": "0-1", "default": "-1" },
    { "name": "Items", "type": "[]Item", "versions": "0+", "nullableVersions": "2+" },
    { "name": "Extra", "type": "Item", "versions": "2+", "tag": 0, "taggedVersions": "2+" }
  ],
  "commonStructs": [
    { "name": "Item", "versions": "0+", "fields": [{ "name": "ItemId", "type": "uuid", "versions": "0+" }] }
  ]
}`;
    const definition = toDefinition(parseSpecJson(text) as Parameters<typeof toDefinition>[0]);
    expect(definition).toEqual({
      name: 'ExampleRequest',
      apiKey: 99,
      type: 'request',
      validVersions: [0, 3],
      flexibleVersions: [2, 0x7fff],
      fields: [
        { name: 'url', type: 'string', versions: [0, 0x7fff], default: 'http://example.org/a' },
        { name: 'limit', type: 'int32', versions: [1, 0x7fff], default: 0x7fffffff },
        { name: 'since', type: 'int64', versions: [0, 1], default: -1n },
        {
          name: 'items',
          type: 'struct',
          array: true,
          structName: 'Item',
          fields: [{ name: 'itemId', type: 'uuid', versions: [0, 0x7fff] }],
          versions: [0, 0x7fff],
          nullableVersions: [2, 0x7fff],
        },
        {
          name: 'extra',
          type: 'struct',
          structName: 'Item',
          fields: [{ name: 'itemId', type: 'uuid', versions: [0, 0x7fff] }],
          versions: [2, 0x7fff],
          tag: 0,
          taggedVersions: [2, 0x7fff],
        },
      ],
    });
    expect(parseVersions('none')).toBeNull();
    expect(parseVersions('7')).toEqual([7, 7]);
    expect(() => parseVersions('3-')).toThrow();
    expect(camelCase('ThrottleTimeMs')).toBe('throttleTimeMs');
    expect(kebabCase('OffsetForLeaderEpoch')).toBe('offset-for-leader-epoch');
  });
});
