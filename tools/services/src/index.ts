export { type Fault, FaultInjectingProxy, type SeenRequest } from './fault-injecting-proxy.js';
export { RGW_SCRIPT, rgwEndpoint, type S3Endpoint, startRgw, stopRgw } from './rgw.js';
export { SLURM_SCRIPT, startSlurm, stopSlurm } from './slurm.js';
export { createUniqueBucket, ensureBucket } from './test-bucket.js';
