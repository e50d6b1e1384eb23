import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SPECS_DIR } from '../../scripts/generate-messages.js';
import { ApiKey, apiName } from '../../src/protocol/api-keys.js';
import { KafkaErrorCode, kafkaErrorName } from '../../src/protocol/kafka-error-codes.js';
import { apiDefinitions } from '../../src/protocol/messages/index.js';

const require = createRequire(import.meta.url);

describe('api keys and error codes', () => {
  it('name every api key of the specs as the specs do', () => {
    expect(readdirSync(SPECS_DIR).filter((name) => name.endsWith('Request.json'))).toHaveLength(
      apiDefinitions.size,
    );
    for (const [key, { request }] of apiDefinitions) {
      expect(ApiKey[request.name.replace(/Request$/, '') as keyof typeof ApiKey], request.name).toBe(key);
      expect(apiName(key)).toBe(request.name.replace(/Request$/, ''));
    }
  });

  it('agree with kafkajs 2.2.4 on api keys (kafkajs keeps two old names)', () => {
    const kafkajs = require('kafkajs/src/protocol/requests/apiKeys.js') as Record<string, number>;
    const renamed: Record<string, string> = {
      GroupCoordinator: 'FindCoordinator',
      ElectPreferredLeaders: 'ElectLeaders',
    };
    for (const [name, key] of Object.entries(kafkajs)) {
      expect(ApiKey[(renamed[name] ?? name) as keyof typeof ApiKey], name).toBe(key);
    }
  });

  it('agree with kafkajs 2.2.4 on error codes, under Kafka names where kafkajs keeps older ones', () => {
    const { errorCodes } = require('kafkajs/src/protocol/error.js') as {
      errorCodes: Array<{ type: string; code: number }>;
    };
    const renamed: Record<string, string> = {
      UNKNOWN: 'UNKNOWN_SERVER_ERROR',
      NOT_LEADER_FOR_PARTITION: 'NOT_LEADER_OR_FOLLOWER',
      GROUP_LOAD_IN_PROGRESS: 'COORDINATOR_LOAD_IN_PROGRESS',
      GROUP_COORDINATOR_NOT_AVAILABLE: 'COORDINATOR_NOT_AVAILABLE',
      NOT_COORDINATOR_FOR_GROUP: 'NOT_COORDINATOR',
    };
    expect(errorCodes.length).toBeGreaterThan(80);
    for (const { type, code } of errorCodes) {
      expect(kafkaErrorName(code), `${type} (${code})`).toBe(renamed[type] ?? type);
    }
    expect(KafkaErrorCode.NONE).toBe(0);
    expect(KafkaErrorCode.UNKNOWN_TOPIC_ID).toBe(100);
    expect(new Set(Object.values(KafkaErrorCode)).size).toBe(Object.keys(KafkaErrorCode).length);
  });
});
