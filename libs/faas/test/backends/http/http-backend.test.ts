import { HttpBackend } from '../../../src/backends/http/http-backend.js';
import { describeBackendConformance } from '../../../src/testing/backend-conformance.js';

describeBackendConformance(
  'http: functions-framework (HTTP)',
  ['file', 's3'],
  (env) => new HttpBackend({ env }),
);
describeBackendConformance(
  'http: functions-framework (CloudEvents)',
  ['file'],
  (env) => new HttpBackend({ env, mode: 'cloudevent' }),
);
describeBackendConformance(
  'http: Knative faas-js-runtime',
  ['file'],
  (env) => new HttpBackend({ env, runtime: 'knative' }),
);
