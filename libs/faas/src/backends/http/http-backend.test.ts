import { describeBackendConformance } from '../../conformance/backend-conformance.js';
import { HttpBackend } from './http-backend.js';

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
