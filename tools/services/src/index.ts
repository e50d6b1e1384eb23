export { RGW_SCRIPT, rgwEndpoint, type S3Endpoint, startRgw, stopRgw } from './rgw.js';
export { createUniqueBucket } from './test-bucket.js';
