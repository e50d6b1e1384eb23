import { describe, expect, it } from 'vitest';
import { s3Environment } from '../../src/s3/s3-client.js';

describe('s3Environment', () => {
  it('names the set connection settings by their standard AWS variables, and nothing else', () => {
    expect(
      s3Environment({
        endpoint: 'http://127.0.0.1:7480',
        region: 'eu-west-1',
        credentials: { accessKeyId: 'id', secretAccessKey: 'secret', sessionToken: 'token' },
      }),
    ).toEqual({
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:7480',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'id',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    });
    expect(s3Environment({ region: 'us-east-1' })).toEqual({ AWS_REGION: 'us-east-1' });
    expect(s3Environment()).toEqual({});
  });
});
