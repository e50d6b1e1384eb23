#!/usr/bin/env bash
# `npm run bench [-- --quick]`: every benchmark, each printing ratios against a baseline measured in
# the same run (interleaved), on the real services. --quick is a smoke run (CI).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/quickstart/ensure-deps.sh
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
run() { node --conditions=@isthmus/source --import tsx "$@"; }
npm run -s -w @isthmus/bench bench:storage -- "$@"
npm run -s -w @isthmus/bench bench:partition -- "$@"
run libs/faas/bench/local-bench.ts "$@"
run libs/faas/bench/http-bench.ts "$@"
run libs/faas/bench/slurm-bench.ts "$@"
run libs/faas/bench/lambda-bench.ts "$@"
bash libs/faas/src/packaging/oci/install-deps.sh # buildah and podman, for the image bench
run libs/faas/bench/oci-bench.ts "$@"
run libs/vectors/bench/embedding-bench.ts "$@"
run libs/vectors/bench/ingest-bench.ts "$@"
run libs/vectors/bench/search-bench.ts "$@"
run apps/rag/bench/retrieval-bench.ts "$@"
bash libs/streams/install-deps.sh # kcat, for the broker bench
run libs/streams/bench/broker-bench.ts "$@"
