import { HttpBackend } from '../../../src/backends/http/http-backend.js';
import { describeBackendConformance } from '../../../src/testing/index.js';
import { fileStore, rgwStore } from '../../support/conformance-stores.js';

describeBackendConformance({
  name: 'http: functions-framework (HTTP)',
  stores: [fileStore, rgwStore],
  backend: (env) => new HttpBackend({ env }),
});
describeBackendConformance({
  name: 'http: functions-framework (CloudEvents)',
  stores: [fileStore],
  backend: (env) => new HttpBackend({ env, mode: 'cloudevent' }),
});
describeBackendConformance({
  name: 'http: Knative faas-js-runtime',
  stores: [fileStore],
  backend: (env) => new HttpBackend({ env, runtime: 'knative' }),
});
