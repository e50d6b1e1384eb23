export type { AttemptResult, Backend } from './backends/backend.js';
export {
  BACKEND_NAMES,
  type BackendName,
  type BackendSettings,
  createBackend,
} from './backends/create-backend.js';
export { HttpBackend, type HttpBackendOptions } from './backends/http/http-backend.js';
export type { HttpInvocationMode, HttpRuntimeKind } from './backends/http/http-runtimes.js';
export { LambdaBackend, type LambdaBackendOptions } from './backends/lambda/lambda-backend.js';
export { LocalBackend, type LocalBackendOptions } from './backends/local/local-backend.js';
export { SlurmBackend, type SlurmBackendOptions } from './backends/slurm/slurm-backend.js';
export { type BuildBundleOptions, buildBundle, loadBundle } from './bundle/build-bundle.js';
export type { Bundle } from './bundle/bundle.js';
export {
  BackendUnavailableError,
  BundleError,
  FaasError,
  type FaasErrorCode,
  MissingExportError,
  NoStorageError,
  NotSerializableError,
  ProtocolVersionError,
  RemoteFunctionError,
  TaskCancelledError,
  TaskTimeoutError,
  WorkerDiedError,
} from './errors.js';
export {
  Executor,
  type ExecutorOptions,
  type ExecutorProgress,
  executor,
  type FunctionName,
  type InputOf,
  type OutputOf,
} from './executor.js';
export { asCompleted, type ReturnWhen, results, wait } from './futures.js';
export { writeFunctionSource } from './packaging/function-source.js';
export { LAMBDA_HANDLER, writeLambdaZip } from './packaging/lambda-zip.js';
export {
  type BuildOciImageOptions,
  buildOciImage,
  OCI_IMAGE_PORT,
  OCI_LABEL_BUNDLE_HASH,
  type OciImage,
  type OciRuntimeKind,
} from './packaging/oci/oci-image.js';
export { writeSlurmScript } from './packaging/slurm-script.js';
export type { TaskContext } from './runtime/run-task.js';
export { TaskFuture, type TaskState, type TaskStats } from './task-future.js';
